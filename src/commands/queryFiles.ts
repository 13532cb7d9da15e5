// The files Open Query writes its queries to (vscode), for Logs Insights (`.insights`) and Athena
// (`.sql`): one file per Open Query in a folder of the extension's global storage, the newest 20
// kept. A file, unlike an Untitled editor, does not ask to be saved when it is closed unedited, and
// Run Query saves it before it runs.
import * as vscode from 'vscode';

const KEEP = 20;

/** Where one kind of query file lives and how it is named. */
export interface QueryFileKind {
  /** Folder under the global storage, e.g. `insights-queries`. */
  folder: string;
  /** File name prefix, e.g. `query`. */
  prefix: string;
  /** File extension with its dot, e.g. `.insights`. */
  extension: string;
  /** The editor language the file opens in. */
  languageId: string;
}

export const INSIGHTS_QUERY_FILES: QueryFileKind = {
  folder: 'insights-queries',
  prefix: 'query',
  extension: '.insights',
  languageId: 'logs-insights',
};
export const ATHENA_QUERY_FILES: QueryFileKind = { folder: 'athena-queries', prefix: 'athena', extension: '.sql', languageId: 'sql' };

export class QueryFiles {
  private next = 0;

  constructor(
    private readonly storage: vscode.Uri,
    private readonly kind: QueryFileKind,
  ) {}

  private get folder(): vscode.Uri {
    return vscode.Uri.joinPath(this.storage, this.kind.folder);
  }

  /** True for a file this class wrote. */
  owns(uri: vscode.Uri): boolean {
    return uri.scheme === this.folder.scheme && uri.path.startsWith(`${this.folder.path}/`) && uri.path.endsWith(this.kind.extension);
  }

  /** A new query file with this text. */
  async create(text: string): Promise<vscode.Uri> {
    await vscode.workspace.fs.createDirectory(this.folder);
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
    const uri = vscode.Uri.joinPath(this.folder, `${this.kind.prefix}-${stamp}-${++this.next}${this.kind.extension}`);
    await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
    await this.prune();
    return uri;
  }

  /**
   * A new query file with this text, shown in an editor of the kind's language; `created` runs
   * before it is shown (so a CodeLens knows the file when the editor first asks).
   */
  async open(text: string, created: (uri: vscode.Uri) => void): Promise<vscode.TextEditor> {
    const uri = await this.create(text);
    created(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    const shown = doc.languageId === this.kind.languageId ? doc : await vscode.languages.setTextDocumentLanguage(doc, this.kind.languageId);
    return vscode.window.showTextDocument(shown, { preview: false });
  }

  /** Deletes the oldest files beyond the newest KEEP (never one that is open). */
  private async prune(): Promise<void> {
    try {
      const entries = (await vscode.workspace.fs.readDirectory(this.folder)).filter(
        ([n, t]) => t === vscode.FileType.File && n.endsWith(this.kind.extension),
      );
      if (entries.length <= KEEP) return;
      const open = new Set(vscode.workspace.textDocuments.map((d) => d.uri.toString()));
      const dated = await Promise.all(
        entries.map(async ([n]) => {
          const uri = vscode.Uri.joinPath(this.folder, n);
          return { uri, mtime: (await vscode.workspace.fs.stat(uri)).mtime };
        }),
      );
      dated.sort((a, b) => b.mtime - a.mtime);
      for (const old of dated.slice(KEEP)) if (!open.has(old.uri.toString())) await vscode.workspace.fs.delete(old.uri);
    } catch {
      // Old query files left behind take a little disk; nothing the user needs to hear about.
    }
  }
}

/**
 * Saves a query file the extension made (closing it then asks nothing). A save right after the file
 * was written can be refused as "newer on disk" while the file watcher catches up: tried once more.
 */
export async function saveQueryFile(doc: vscode.TextDocument): Promise<void> {
  if (await doc.save()) return;
  await new Promise<void>((r) => setTimeout(r, 300));
  if (doc.isDirty) await doc.save();
}
