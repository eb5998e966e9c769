import { Body1, Caption1, makeStyles, tokens, typographyStyles } from "@fluentui/react-components";
import { useEffect, useRef } from "react";
import type { CurrentItem, MessageSummary } from "../../../core/message.js";
import { useI18n } from "../../shared/i18n.js";

const useStyles = makeStyles({
  card: {
    display: "flex",
    flexDirection: "column",
    gap: "8px",
    padding: "12px",
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
    boxShadow: tokens.shadow4,
  },
  // Subtitle2's type ramp on a heading that can take focus (Subtitle2 itself takes no ref).
  subject: { ...typographyStyles.subtitle2, margin: 0 },
  fields: { display: "grid", gridTemplateColumns: "auto 1fr", columnGap: "8px", rowGap: "4px" },
  label: { color: tokens.colorNeutralForeground3 },
  value: { overflowWrap: "anywhere" },
  hint: { color: tokens.colorNeutralForeground3 },
});

function senderText(message: MessageSummary): string {
  if (!message.from) return "";
  const { name, address } = message.from;
  return name && name !== address ? `${name} <${address}>` : address;
}

/**
 * The open message as text only: every field of an email is treated as hostile. `focus`: the
 * view just took the place of the control that had focus (the consent form's "Allow"), so its
 * heading takes focus and a screen reader says where the user now is.
 */
export function MessageCard(props: { item: CurrentItem; focus?: boolean }) {
  const styles = useStyles();
  const { t, formatDate } = useI18n();
  const { item, focus = false } = props;
  const heading = useRef<HTMLHeadingElement>(null);
  const focused = useRef(false);
  const shown = item.status === "message";
  useEffect(() => {
    // Once: a later message selected in a pinned pane leaves focus where the user put it.
    if (!focus || !shown || focused.current) return;
    focused.current = true;
    heading.current?.focus();
  }, [focus, shown]);
  if (item.status !== "message") {
    return (
      <Body1 data-testid="message-empty" className={styles.hint}>
        {t(item.status === "compose" ? "message.compose" : "message.none")}
      </Body1>
    );
  }
  const { message } = item;
  const attachments = message.attachments.filter((a) => !a.isInline).length;
  return (
    <article className={styles.card} data-testid="message-card" aria-labelledby="message-subject">
      <h2
        className={styles.subject}
        id="message-subject"
        data-testid="message-subject"
        ref={heading}
        tabIndex={-1}
      >
        {message.subject || t("message.noSubject")}
      </h2>
      <dl className={styles.fields}>
        <dt className={styles.label}>
          <Caption1>{t("message.from")}</Caption1>
        </dt>
        <dd className={styles.value} data-testid="message-from">
          <Body1>{senderText(message)}</Body1>
        </dd>
        <dt className={styles.label}>
          <Caption1>{t("message.date")}</Caption1>
        </dt>
        <dd className={styles.value} data-testid="message-date">
          <Body1>
            <time dateTime={message.date}>{formatDate(message.date)}</time>
          </Body1>
        </dd>
      </dl>
      {attachments > 0 && (
        <Caption1 data-testid="message-attachments">
          {t("message.attachments", { count: attachments })}
        </Caption1>
      )}
    </article>
  );
}
