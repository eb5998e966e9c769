import { RECYCLE_BIN_RETENTION_DAYS } from "../../../core/ports/storage.js";
import { ConfirmDialog } from "../../shared/confirm-dialog.js";
import { useI18n } from "../../shared/i18n.js";
import type { StoredFacade } from "./facade.js";

/** What the user asked to delete, awaiting their confirmation: some stored emails, or all data. */
export type Confirm = { kind: "some"; ids: string[] } | { kind: "all" } | null;

/** "Delete these?" / "Delete everything?", then the deletion and a notice of what happened. */
export function DeleteConfirm(props: {
  confirm: Confirm;
  total: number;
  stored: StoredFacade;
  run(action: () => Promise<void>): Promise<void>;
  onNotice(notice: string): void;
  onDeleted(ids: string[]): void;
  onClose(): void;
}) {
  const { t } = useI18n();
  const { confirm, stored } = props;
  // Where Microsoft 365 refused a permanent delete, say where the items are instead.
  const recycledNotice = () => {
    const count = stored.recycled?.() ?? 0;
    return count > 0 ? t("storage.recycled", { count, days: RECYCLE_BIN_RETENTION_DAYS }) : null;
  };
  return (
    <ConfirmDialog
      open={confirm !== null}
      title={
        confirm?.kind === "all"
          ? t("stored.confirm.all.title")
          : confirm && confirm.ids.length === 1
            ? t("stored.confirm.one.title")
            : t("stored.confirm.many.title", {
                count: confirm?.kind === "some" ? confirm.ids.length : 0,
              })
      }
      body={
        confirm?.kind === "all"
          ? t("stored.confirm.all.body", { count: props.total })
          : t("stored.confirm.body")
      }
      confirm={t("stored.confirm.delete")}
      cancel={t("stored.confirm.cancel")}
      onConfirm={() =>
        props.run(async () => {
          if (confirm?.kind === "all") {
            await stored.removeAllMyData();
            props.onNotice(recycledNotice() ?? t("stored.allDeleted"));
          } else if (confirm) {
            const count = await stored.remove(confirm.ids);
            props.onNotice(recycledNotice() ?? t("stored.deleted", { count }));
            props.onDeleted(confirm.ids);
          }
        })
      }
      onClose={props.onClose}
    />
  );
}
