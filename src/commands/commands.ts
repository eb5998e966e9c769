import { getOfficeRuntime } from "../adapters/office/runtime.js";

// The ribbon's "Save to SEPT" button opens the task pane (ShowTaskpane in the manifest), so the
// function file only has to be ready; function commands register here as they are added.
void getOfficeRuntime()
  .onReady()
  .catch(() => undefined);
