// The files Open Query writes its queries to (vscode): `.insights` files in the extension's global
// storage, one per Open Query, the newest 20 kept. A file, unlike an Untitled editor, does not ask
// to be saved when it is closed unedited, and Run Query saves it before it runs.
import * as vscode from 'vscode';

const FOLDER = 'insights-queries';
const KEEP = 20;

export class QueryFiles {
  private next = 0;

  constructor(private readonly storage: vscode.Uri) {}

  private get folder(): vscode.Uri {
    return vscode.Uri.joinPath(this.storage, FOLDER);
  }

  /** True for a file this class wrote. */
  owns(uri: vscode.Uri): boolean {
    return uri.scheme === this.folder.scheme && uri.path.startsWith(`${this.folder.path}/`) && uri.path.endsWith('.insights');
  }

  /** A new query file with this text. */
  async create(text: string): Promise<vscode.Uri> {
    await vscode.workspace.fs.createDirectory(this.folder);
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
    const uri = vscode.Uri.joinPath(this.folder, `query-${stamp}-${++this.next}.insights`);
    await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
    await this.prune();
    return uri;
  }

  /** Deletes the oldest files beyond the newest 20 (never one that is open). */
  private async prune(): Promise<void> {
    try {
      const entries = (await vscode.workspace.fs.readDirectory(this.folder)).filter(
        ([n, t]) => t === vscode.FileType.File && n.endsWith('.insights'),
      );
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
