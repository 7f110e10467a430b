import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve as resolvePath } from 'node:path';
import ts from 'typescript';

/** A declaration a type name refers to, with the file it is written in. */
export interface FoundDeclaration {
  node: ts.Declaration;
  file: ts.SourceFile;
}

/** Where the emitted code finds a class at run time: a local binding, or an export of a module. */
export type ClassLocation = { local: string } | { specifier: string; exportName: string };

type NamedDeclaration = ts.InterfaceDeclaration | ts.TypeAliasDeclaration | ts.EnumDeclaration | ts.ClassDeclaration;

/**
 * Finds what a type name refers to. With a type checker (tsc, `nest build`, ts-patch) the checker answers, across
 * every file and package of the program. Without one (ts-jest and other per-file compilers) it follows the file's
 * own declarations and its relative imports on disk, which covers types written in the project itself.
 */
export class DeclarationResolver {
  private readonly files = new Map<string, ts.SourceFile | undefined>();

  private readonly checker: ts.TypeChecker | undefined;

  constructor(private readonly program?: ts.Program) {
    this.checker = program?.getTypeChecker();
  }

  resolve(name: ts.EntityName, file: ts.SourceFile): FoundDeclaration | undefined {
    // A compiler may hand over a program older than the file being compiled (ts-jest's language service): its
    // checker only answers for the nodes it parsed itself.
    if (this.checker && isInProgram(name) && this.program?.getSourceFile(file.fileName) === file) {
      let symbol = this.checker.getSymbolAtLocation(name);
      if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
      const node = symbol?.declarations?.[0];
      if (node) return { node, file: node.getSourceFile() };
    }
    return this.resolveSyntactically(name, file);
  }

  /** How code emitted into `target` reaches a class declared in `found.file` and named in `writtenIn`. */
  locateClass(
    found: FoundDeclaration,
    name: ts.EntityName,
    writtenIn: ts.SourceFile,
    target: ts.SourceFile,
  ): ClassLocation | undefined {
    const declaration = found.node;
    if (!ts.isClassDeclaration(declaration) || !declaration.name) return undefined;
    // A package import reads the same from every file of the project, so it is kept as written.
    const imported = ts.isIdentifier(name) ? importOf(writtenIn, name.text) : undefined;
    if (imported && !imported.specifier.startsWith('.')) return imported;
    if (samePath(found.file.fileName, target.fileName)) return { local: declaration.name.text };
    if (imported) {
      // The author's own relative import, re-based on the file the reference is emitted into.
      const module = resolvePath(dirname(writtenIn.fileName), imported.specifier);
      return { specifier: relativeSpecifier(target.fileName, module), exportName: imported.exportName };
    }
    if (found.file.isDeclarationFile || found.file.fileName.includes('/node_modules/')) return undefined;
    const exportName = exportNameOf(declaration);
    if (!exportName) return undefined;
    return {
      specifier: relativeSpecifier(target.fileName, found.file.fileName.replace(/\.(m|c)?tsx?$/, '.$1js')),
      exportName,
    };
  }

  private resolveSyntactically(name: ts.EntityName, file: ts.SourceFile): FoundDeclaration | undefined {
    if (ts.isIdentifier(name)) return findLocal(file, name.text) ?? this.findImported(file, name.text);
    const left = name.left;
    if (ts.isIdentifier(left)) {
      const namespace = namespaceImportOf(file, left.text);
      if (namespace) {
        const module = this.load(file, namespace);
        return module && this.findExported(module, name.right.text, 0);
      }
    }
    const owner = this.resolveSyntactically(left, file);
    if (owner && ts.isEnumDeclaration(owner.node)) {
      const member = owner.node.members.find((candidate) => propertyNameText(candidate.name) === name.right.text);
      return member && { node: member, file: owner.file };
    }
    return undefined;
  }

  private findImported(file: ts.SourceFile, name: string): FoundDeclaration | undefined {
    const imported = importOf(file, name);
    if (!imported) return undefined;
    const module = this.load(file, imported.specifier);
    return module && this.findExported(module, imported.exportName, 0);
  }

  private findExported(module: ts.SourceFile, name: string, depth: number): FoundDeclaration | undefined {
    if (depth > 8) return undefined;
    for (const statement of module.statements) {
      if (isNamedDeclaration(statement) && isExported(statement) && exportNameOf(statement) === name) {
        return { node: statement, file: module };
      }
    }
    for (const statement of module.statements) {
      if (!ts.isExportDeclaration(statement)) continue;
      const from =
        statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)
          ? statement.moduleSpecifier.text
          : undefined;
      const clause = statement.exportClause;
      if (clause && ts.isNamedExports(clause)) {
        const element = clause.elements.find((candidate) => candidate.name.text === name);
        if (!element) continue;
        const original = (element.propertyName ?? element.name).text;
        if (from === undefined) return findLocal(module, original) ?? this.findImported(module, original);
        const next = this.load(module, from);
        return next && this.findExported(next, original, depth + 1);
      }
      if (!clause && from !== undefined) {
        const next = this.load(module, from);
        const found = next && this.findExported(next, name, depth + 1);
        if (found) return found;
      }
    }
    return undefined;
  }

  private load(from: ts.SourceFile, specifier: string): ts.SourceFile | undefined {
    if (!specifier.startsWith('.')) return undefined;
    const base = resolvePath(dirname(from.fileName), specifier);
    const stem = base.replace(/\.(m|c)?js$/, '');
    const path = [`${stem}.ts`, `${stem}.tsx`, `${base}.ts`, `${base}/index.ts`, `${stem}.d.ts`].find(existsSync);
    if (!path) return undefined;
    if (!this.files.has(path)) {
      this.files.set(path, ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true));
    }
    return this.files.get(path);
  }
}

function isInProgram(node: ts.Node): boolean {
  // Nodes of files this resolver parsed itself have no symbols; the checker only knows the program's own nodes.
  return (node.flags & ts.NodeFlags.Synthesized) === 0 && node.pos >= 0 && node.parent !== undefined;
}

/** `./x.js` or `../y/x.js`: how `from` imports the module at the absolute path `to`. */
function relativeSpecifier(from: string, to: string): string {
  const specifier = relative(dirname(from), to).split('\\').join('/');
  return specifier.startsWith('.') ? specifier : `./${specifier}`;
}

function samePath(a: string, b: string): boolean {
  return resolvePath(a) === resolvePath(b);
}

function isNamedDeclaration(statement: ts.Statement): statement is NamedDeclaration {
  return (
    ts.isInterfaceDeclaration(statement) ||
    ts.isTypeAliasDeclaration(statement) ||
    ts.isEnumDeclaration(statement) ||
    ts.isClassDeclaration(statement)
  );
}

function isExported(statement: ts.Statement): boolean {
  return (ts.getCombinedModifierFlags(statement as unknown as ts.Declaration) & ts.ModifierFlags.Export) !== 0;
}

/** The name a declaration is exported under (`default` for `export default class`), or undefined. */
function exportNameOf(declaration: ts.Declaration): string | undefined {
  const flags = ts.getCombinedModifierFlags(declaration);
  if (!(flags & ts.ModifierFlags.Export)) return undefined;
  if (flags & ts.ModifierFlags.Default) return 'default';
  const name = (declaration as ts.NamedDeclaration).name;
  return name && ts.isIdentifier(name) ? name.text : undefined;
}

function findLocal(file: ts.SourceFile, name: string): FoundDeclaration | undefined {
  const node = file.statements.find((statement) => isNamedDeclaration(statement) && statement.name?.text === name);
  return node ? { node: node as NamedDeclaration, file } : undefined;
}

/** The module and export a file imports under a local name (`import { A as B } from 'x'`). */
export function importOf(file: ts.SourceFile, name: string): { specifier: string; exportName: string } | undefined {
  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const clause = statement.importClause;
    const specifier = statement.moduleSpecifier.text;
    if (clause?.name?.text === name) return { specifier, exportName: 'default' };
    const bindings = clause?.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) {
      const element = bindings.elements.find((candidate) => candidate.name.text === name);
      if (element) return { specifier, exportName: (element.propertyName ?? element.name).text };
    }
  }
  return undefined;
}

function namespaceImportOf(file: ts.SourceFile, name: string): string | undefined {
  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const bindings = statement.importClause?.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings) && bindings.name.text === name)
      return statement.moduleSpecifier.text;
  }
  return undefined;
}

export function propertyNameText(name: ts.PropertyName | ts.EntityName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) {
    return name.text;
  }
  return undefined;
}
