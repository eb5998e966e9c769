import {
  Body1,
  Button,
  Caption1,
  Checkbox,
  Input,
  Spinner,
  makeStyles,
  mergeClasses,
  tokens,
} from "@fluentui/react-components";
import { useEffect, useState } from "react";
import { toSeptError, type SeptError } from "../../../core/errors.js";
import type { MessageSummary } from "../../../core/message.js";
import { useI18n } from "../../shared/i18n.js";
import { Panel } from "../../shared/panel.js";
import { usePanelStyles } from "../../shared/panel-styles.js";
import type { BulkItemResult, OtherMessage, OtherMessagesFacade } from "./facade.js";

const useStyles = makeStyles({
  tight: { gap: "2px" },
  row: { display: "flex", gap: "8px", alignItems: "center", flexWrap: "wrap" },
  failed: { color: tokens.colorPaletteRedForeground1 },
});

type Finding = { phase: "idle" } | { phase: "loading" } | { phase: "failed"; error: SeptError };

/** The messages found so far, each with its box to tick. */
function OtherMessageList(props: {
  listed: OtherMessage[];
  ticked: OtherMessage[];
  disabled: boolean;
  onToggle(other: OtherMessage, on: boolean): void;
}) {
  const styles = useStyles();
  const panel = usePanelStyles();
  const { t, formatDate } = useI18n();
  if (props.listed.length === 0) return <Body1 data-testid="more-none">{t("more.none")}</Body1>;
  return (
    <ul className={mergeClasses(panel.list, styles.tight)} data-testid="more-list">
      {props.listed.map((other) => (
        <li key={other.key}>
          <Checkbox
            checked={props.ticked.some((m) => m.key === other.key)}
            onChange={(_, d) => props.onToggle(other, d.checked === true)}
            disabled={props.disabled}
            data-testid="more-pick"
            label={`${other.subject || t("message.noSubject")} — ${
              other.from?.name || other.from?.address || ""
            }${other.receivedDateTime ? `, ${formatDate(other.receivedDateTime)}` : ""}`}
          />
        </li>
      ))}
    </ul>
  );
}

/** Before anything is listed: the one button that asks for the conversation, and why. */
function ConversationPrompt(props: { disabled: boolean; onFind(): void }) {
  const panel = usePanelStyles();
  const { t } = useI18n();
  return (
    <>
      <div>
        <Button onClick={props.onFind} disabled={props.disabled} data-testid="more-conversation">
          {t("more.conversation")}
        </Button>
      </div>
      <Caption1 className={panel.muted}>{t("more.conversationHint")}</Caption1>
    </>
  );
}

/** A search of the mailbox by words; submits only when there are some. */
function SearchForm(props: {
  words: string;
  onWordsChange(words: string): void;
  disabled: boolean;
  searching: boolean;
  onSearch(): void;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  const { words } = props;
  return (
    <form
      className={styles.row}
      onSubmit={(event) => {
        event.preventDefault();
        if (words.trim()) props.onSearch();
      }}
    >
      <Input
        value={words}
        onChange={(_, d) => props.onWordsChange(d.value)}
        aria-label={t("more.search")}
        placeholder={t("more.search")}
        disabled={props.disabled}
        data-testid="more-search-input"
      />
      <Button
        type="submit"
        size="small"
        disabled={props.disabled || props.searching || !words.trim()}
        data-testid="more-search-button"
      >
        {t("more.searchButton")}
      </Button>
    </form>
  );
}

/** A look-up under way or failed, and how many messages are ticked (the open one counts). */
function FindingStatus(props: { finding: Finding; ticked: number }) {
  const styles = useStyles();
  const { t, errorText } = useI18n();
  const { finding } = props;
  return (
    <>
      {finding.phase === "loading" && <Spinner size="tiny" label={t("more.loading")} />}
      {finding.phase === "failed" && (
        <Body1 className={styles.failed} data-testid="more-error">
          {errorText(finding.error)}
        </Body1>
      )}
      {props.ticked > 0 && (
        <Caption1 data-testid="more-selected">
          {t("more.selected", { count: props.ticked + 1 })}
        </Caption1>
      )}
    </>
  );
}

/**
 * Other messages to save with the open one: nothing is listed, and no mail permission asked,
 * until the user asks for the conversation (then the sender's recent mail, or a search).
 * Outlook's own multi-select is not used: it needs ReadWriteMailbox.
 */
export function OtherMessages(props: {
  message: MessageSummary;
  finder: OtherMessagesFacade;
  ticked: OtherMessage[];
  onTickedChange: (ticked: OtherMessage[]) => void;
  disabled: boolean;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  const { message, finder, ticked, onTickedChange } = props;
  const [listed, setListed] = useState<OtherMessage[] | null>(null);
  const [finding, setFinding] = useState<Finding>({ phase: "idle" });
  const [words, setWords] = useState("");

  useEffect(() => {
    setListed(null);
    setFinding({ phase: "idle" });
    onTickedChange([]);
    // A new open message starts a new list; onTickedChange is the parent's setter.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [message]);

  const find = async (lookup: () => Promise<OtherMessage[]>) => {
    setFinding({ phase: "loading" });
    try {
      const found = await lookup();
      setListed((before) => {
        const known = new Set((before ?? []).map((m) => m.key));
        return [...(before ?? []), ...found.filter((m) => !known.has(m.key))];
      });
      setFinding({ phase: "idle" });
    } catch (error) {
      setFinding({ phase: "failed", error: toSeptError(error) });
    }
  };

  const toggle = (other: OtherMessage, on: boolean) =>
    onTickedChange(on ? [...ticked, other] : ticked.filter((m) => m.key !== other.key));

  return (
    <Panel id="more-heading" title={t("more.heading")} testId="other-messages">
      {listed === null ? (
        <ConversationPrompt
          disabled={props.disabled || finding.phase === "loading"}
          onFind={() => void find(() => finder.conversation(message))}
        />
      ) : (
        <>
          <OtherMessageList
            listed={listed}
            ticked={ticked}
            disabled={props.disabled}
            onToggle={toggle}
          />
          <div className={styles.row}>
            {message.from?.address && (
              <Button
                size="small"
                onClick={() => void find(() => finder.fromSender(message))}
                disabled={props.disabled || finding.phase === "loading"}
                data-testid="more-sender"
              >
                {t("more.fromSender", { sender: message.from.name || message.from.address })}
              </Button>
            )}
          </div>
          <SearchForm
            words={words}
            onWordsChange={setWords}
            disabled={props.disabled}
            searching={finding.phase === "loading"}
            onSearch={() => void find(() => finder.search(words, message))}
          />
        </>
      )}
      <FindingStatus finding={finding} ticked={ticked.length} />
    </Panel>
  );
}

/** One result per message of a save of several, as each becomes known. */
export function BulkResults(props: { results: BulkItemResult[]; total: number; running: boolean }) {
  const styles = useStyles();
  const panel = usePanelStyles();
  const { t, errorText } = useI18n();
  const { results, total, running } = props;
  const count = (status: BulkItemResult["status"]) =>
    results.filter((r) => r.status === status).length;
  const pending = results.filter((r) => r.status !== "failed" && r.eventPending).length;
  return (
    <>
      <Caption1 aria-live="polite" data-testid="bulk-progress">
        {running
          ? t("bulk.progress", { done: results.length, total })
          : t("bulk.summary", {
              saved: count("saved"),
              already: count("already_saved"),
              failed: count("failed"),
            })}
      </Caption1>
      {pending > 0 && !running && (
        <Caption1 data-testid="bulk-event-pending">
          {t("bulk.eventPending", { count: pending })}
        </Caption1>
      )}
      <ul className={mergeClasses(panel.list, styles.tight)} data-testid="bulk-results">
        {results.map((r) => (
          <li key={r.key} data-status={r.status}>
            <Body1 className={r.status === "failed" ? styles.failed : undefined}>
              {r.subject || t("message.noSubject")} —{" "}
              {r.status === "failed"
                ? t("bulk.result.failed", { reason: errorText(r.error) })
                : t(`bulk.result.${r.status}`)}
            </Body1>
          </li>
        ))}
      </ul>
    </>
  );
}
