// GraphiQL's fetcher on the local slotsync page (browser code, served as is): queries and
// mutations go over HTTP through GraphiQL's own fetcher; subscriptions over AppSync's real-time
// protocol on /graphql/realtime, authorised with the headers pane (API key or user token), as an
// AppSync client subscribes. AppSync serves no subscription over HTTP.
(function () {
  'use strict';

  /** The operation GraphiQL runs ({type, name}): by its name, else the document's only or first one. */
  function operationOf(query, operationName) {
    // Strings and comments out, so that no word inside them reads as a keyword.
    var source = query.replace(/"""[\s\S]*?"""|"(?:\\.|[^"\\\n])*"|#[^\n]*/g, ' ');
    var tokens = source.match(/\$?[_A-Za-z][_0-9A-Za-z]*|[{}()]/g) || [];
    var operations = [];
    var depth = 0;
    for (var i = 0; i < tokens.length; i++) {
      var t = tokens[i];
      if (t === '{' || t === '(') {
        if (t === '{' && depth === 0 && (i === 0 || tokens[i - 1] === '}')) operations.push({ type: 'query', name: null });
        depth++;
      } else if (t === '}' || t === ')') {
        depth--;
      } else if (depth === 0 && (t === 'query' || t === 'mutation' || t === 'subscription')) {
        var next = tokens[i + 1];
        var hasName = next !== undefined && /^[_A-Za-z]/.test(next);
        operations.push({ type: t, name: hasName ? next : null });
      }
    }
    var named = operationName ? operations.filter(function (op) { return op.name === operationName; })[0] : undefined;
    // GraphiQL can pass the name of the operation the editor held a moment before (its state
    // follows the editor with a delay): a document of one operation then runs that one.
    var chosen = named || (operationName && operations.length > 1 ? undefined : operations[0]);
    return chosen || { type: 'query', name: null };
  }

  function base64(text) {
    return btoa(String.fromCharCode.apply(null, Array.from(new TextEncoder().encode(text))));
  }

  /** One subscription as an async iterable of results, ended by GraphiQL's stop (return()). */
  function subscribe(realtimePath, params, operationName, headers) {
    var authorization = Object.assign({ host: location.host }, headers);
    var url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + realtimePath +
      '?header=' + encodeURIComponent(base64(JSON.stringify(authorization))) + '&payload=e30=';
    var id = String(Date.now()) + Math.random().toString(16).slice(2);
    var results = [];
    var waiting = null;
    var finished = false;
    var ws = new WebSocket(url, ['graphql-ws']);

    function push(result) {
      if (finished) return;
      if (waiting) {
        var resolve = waiting;
        waiting = null;
        resolve({ value: result, done: false });
      } else {
        results.push(result);
      }
    }
    function finish() {
      if (finished) return;
      finished = true;
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close();
      if (waiting) {
        var resolve = waiting;
        waiting = null;
        resolve({ value: undefined, done: true });
      }
    }

    ws.onopen = function () {
      ws.send(JSON.stringify({ type: 'connection_init' }));
    };
    ws.onmessage = function (event) {
      var message = JSON.parse(event.data);
      if (message.type === 'connection_ack') {
        var data = JSON.stringify({ query: params.query, variables: params.variables || {}, operationName: operationName || undefined });
        ws.send(JSON.stringify({ id: id, type: 'start', payload: { data: data, extensions: { authorization: authorization } } }));
      } else if (message.type === 'start_ack') {
        push({ data: null, extensions: { subscription: 'started: each event shows here as it arrives' } });
      } else if (message.type === 'data') {
        push(message.payload);
      } else if (message.type === 'error' || message.type === 'connection_error') {
        push({ errors: (message.payload && message.payload.errors) || [{ message: 'the real-time endpoint refused the subscription' }] });
        finish();
      } else if (message.type === 'complete') {
        finish();
      }
    };
    ws.onerror = function () {
      push({ errors: [{ message: 'could not reach the real-time endpoint ' + realtimePath }] });
    };
    ws.onclose = finish;

    var iterator = {
      next: function () {
        if (results.length > 0) return Promise.resolve({ value: results.shift(), done: false });
        if (finished) return Promise.resolve({ value: undefined, done: true });
        return new Promise(function (resolve) { waiting = resolve; });
      },
      return: function () {
        if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ id: id, type: 'stop' }));
        finish();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
    iterator[Symbol.asyncIterator] = function () { return iterator; };
    return iterator;
  }

  /** GraphiQL's fetcher for `graphqlPath`, subscribing on `realtimePath`. */
  window.slotsyncFetcher = function (graphqlPath, realtimePath) {
    var http = GraphiQL.createFetcher({ url: graphqlPath });
    return function (params, options) {
      var operation = operationOf(params.query || '', params.operationName);
      if (operation.type !== 'subscription') return http(params, options);
      return subscribe(realtimePath, params, operation.name, (options && options.headers) || {});
    };
  };
  window.slotsyncOperationType = function (query, operationName) {
    return operationOf(query, operationName).type;
  };
})();
