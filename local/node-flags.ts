// V8 flags for the process that hosts the local server. It runs many isolates at once (its own
// event loop and one per warm Lambda sandbox), and V8 gives every isolate's garbage collector
// helper tasks on one shared pool sized to the machine. On a 2-core machine those helpers competed
// with the very threads they were helping: with single-threaded GC, createBooking through the API
// went from ~0.8 to ~0.9 of the SDK's throughput with 4 calls in flight (docs/ARCHITECTURE.md).
// V8 reads GC flags once, at start: they go on the command line (`npm start`, bin/slotsync.js's
// shebang, the benchmarks), not into code that runs later.
export const SERVER_NODE_FLAGS = ['--single-threaded-gc'];
