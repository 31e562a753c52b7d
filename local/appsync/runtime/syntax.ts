// What AppSync refuses when a resolver or function is saved ("The code contains one or more
// errors."): the constructs the APPSYNC_JS docs list as unsupported, those
// @aws-appsync/eslint-plugin's `base` config forbids, and imports of anything but the built-in
// modules. Checked on the code as deployed, not on its CommonJS conversion, so esbuild's interop
// helpers (`for...in`, `.call`, ...) are never mistaken for resolver code and positions are exact.
import ts from 'typescript';
import type { CodeLocation } from './compile.ts';

export const SUPPORTED_MODULES = ['@aws-appsync/utils', '@aws-appsync/utils/dynamodb'] as const;

export interface UnsupportedSyntax {
  /** Reads "<what> not supported by the APPSYNC_JS runtime". */
  what: string;
  location: CodeLocation;
}

/** By node kind. Class expressions too (the plugin names declarations only), as generators below. */
const CONSTRUCTS: Partial<Record<ts.SyntaxKind, string>> = {
  [ts.SyntaxKind.TryStatement]: 'try/catch/finally is',
  [ts.SyntaxKind.ThrowStatement]: 'throw is',
  [ts.SyntaxKind.ContinueStatement]: 'continue is',
  [ts.SyntaxKind.WhileStatement]: 'while loops are',
  [ts.SyntaxKind.DoStatement]: 'do-while loops are',
  [ts.SyntaxKind.ForStatement]: 'for(;;) loops are',
  [ts.SyntaxKind.LabeledStatement]: 'labeled statements are',
  [ts.SyntaxKind.ClassDeclaration]: 'classes are',
  [ts.SyntaxKind.ClassExpression]: 'classes are',
  [ts.SyntaxKind.ThisKeyword]: 'the this keyword is',
  [ts.SyntaxKind.YieldExpression]: 'yield is',
  [ts.SyntaxKind.AwaitExpression]: 'await is',
  [ts.SyntaxKind.AsyncKeyword]: 'async functions are',
  [ts.SyntaxKind.RegularExpressionLiteral]: 'regular expression literals are',
};

const UNARY: Partial<Record<ts.SyntaxKind, string>> = {
  [ts.SyntaxKind.PlusPlusToken]: 'the ++ operator is',
  [ts.SyntaxKind.MinusMinusToken]: 'the -- operator is',
  [ts.SyntaxKind.TildeToken]: 'the ~ operator is',
};

const BINARY: Partial<Record<ts.SyntaxKind, string>> = {
  [ts.SyntaxKind.InKeyword]: 'the in operator is',
  [ts.SyntaxKind.InstanceOfKeyword]: 'the instanceof operator is',
};

/** The first unsupported construct in source order, or undefined when AppSync would save the code. */
export function findUnsupportedSyntax(source: string): UnsupportedSyntax | undefined {
  const sf = ts.createSourceFile('code.js', source, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const at = (node: ts.Node, what: string): UnsupportedSyntax => {
    const { line, character } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    return { what, location: { line: line + 1, column: character + 1 } };
  };

  const check = (node: ts.Node): UnsupportedSyntax | undefined => {
    const construct = CONSTRUCTS[node.kind];
    if (construct) return at(node, construct);
    if (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) {
      const unary = UNARY[node.operator];
      if (unary) return at(node, unary);
    }
    if (ts.isBinaryExpression(node)) {
      const binary = BINARY[node.operatorToken.kind];
      if (binary) return at(node.operatorToken, binary);
    }
    if ((ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isMethodDeclaration(node)) && node.asteriskToken) {
      return at(node, 'generator functions are');
    }
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Promise') {
      return at(node, 'new Promise is');
    }
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      const name = ts.isStringLiteral(node.moduleSpecifier) ? node.moduleSpecifier.text : undefined;
      if (!isSupportedModule(name)) return at(node, `importing "${name ?? '?'}" is`);
    }
    if (ts.isCallExpression(node)) {
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword) return at(node, 'dynamic import() is');
      // The sandbox answers require() (the code runs as CommonJS); only the built-in modules exist.
      if (ts.isIdentifier(node.expression) && node.expression.text === 'require') {
        const [arg] = node.arguments;
        const name = arg && ts.isStringLiteral(arg) ? arg.text : undefined;
        if (!isSupportedModule(name)) return at(node, `importing "${name ?? '?'}" is`);
      }
    }
    return ts.forEachChild(node, check);
  };
  return check(sf);
}

function isSupportedModule(name: string | undefined): boolean {
  return name !== undefined && (SUPPORTED_MODULES as readonly string[]).includes(name);
}
