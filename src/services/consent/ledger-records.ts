// The consent ledger's records as this pane knows them: the last listing applied, plus the records
// this pane wrote that no listing has shown yet.
import { orderRecords, type ConsentRecord } from "../../core/consent/consent.js";

export class LedgerRecords {
  private records: ConsentRecord[] = [];
  private readonly unlisted = new Set<string>();
  /** The ledger has been listed at least once. */
  listedOnce = false;

  /** `onMerged`: told every record id now known (acts kept on the device are then recorded). */
  constructor(private readonly onMerged: (known: ReadonlyMap<string, ConsentRecord>) => void) {}

  all(): readonly ConsentRecord[] {
    return this.records;
  }

  has(id: string): boolean {
    return this.records.some((r) => r.id === id);
  }

  /** The ledger's records, oldest first by the server's clock. */
  history(): readonly ConsentRecord[] {
    return orderRecords(this.records);
  }

  latestId(): string | null {
    const ordered = this.history();
    return ordered[ordered.length - 1]?.id ?? null;
  }

  /** This pane wrote record `id` (`record`: as the ledger stored it). */
  written(id: string, record: ConsentRecord): void {
    this.unlisted.add(id);
    this.merge([record]);
  }

  /**
   * A listing applied: it replaces what we had (a record deleted from storage is gone), except
   * records this pane wrote that no listing has shown yet.
   */
  replace(listed: readonly ConsentRecord[]): void {
    for (const record of listed) this.unlisted.delete(record.id);
    const notYetListed = this.records.filter((r) => this.unlisted.has(r.id));
    this.records = [];
    this.merge([...listed, ...notYetListed]);
  }

  private merge(records: readonly ConsentRecord[]): void {
    const byId = new Map(this.records.map((r) => [r.id, r]));
    for (const record of records) {
      // The listing's copy carries the server's creation time; keep it over a local one.
      const known = byId.get(record.id);
      if (!known || (record.storedAt && !known.storedAt)) byId.set(record.id, record);
    }
    this.records = [...byId.values()];
    this.onMerged(byId);
  }
}
