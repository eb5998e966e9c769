import { useEffect, useRef, useState } from "react";
import type { StoredEmail } from "./facade.js";

/** A correction of a stored email: only what the user changed. */
export interface Correction {
  projectId?: string;
  note?: string;
}

/**
 * The details panel's form: the project and note as edited, whether they differ from what is
 * stored, and "changes saved" once a correction went through. Another email starts afresh, and
 * opening one moves focus to the panel (`section`).
 */
export function useDetailsForm(
  entry: StoredEmail,
  onCorrect: (change: Correction) => Promise<void>,
) {
  const [projectId, setProjectId] = useState(entry.projectId);
  const [note, setNote] = useState(entry.note ?? "");
  const [saved, setSaved] = useState(false);
  const section = useRef<HTMLElement>(null);
  useEffect(() => {
    setProjectId(entry.projectId);
    setNote(entry.note ?? "");
    setSaved(false);
  }, [entry]);
  // Opening an email moves focus to its details, so keyboard and screen-reader users land there.
  useEffect(() => {
    section.current?.focus();
  }, [entry.savedId]);
  const changed = projectId !== entry.projectId || note !== (entry.note ?? "");

  const submit = () =>
    void onCorrect({
      ...(projectId !== entry.projectId ? { projectId } : {}),
      ...(note !== (entry.note ?? "") ? { note } : {}),
    }).then(() => setSaved(true));

  return { projectId, setProjectId, note, setNote, saved, changed, submit, section };
}
