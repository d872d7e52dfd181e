// A notice as the web shows it (the same outline and tables the Word document is made from), the
// school's own standing in it, and the reviewer's editing panel for a draft.
//
// Two files: notice-document.tsx (the notice and a school's standing) and notice-editor.tsx (the
// reviewer's panel and the adjustment log). This module is the pages' one import path.
export { BulletinDocument, OwnStanding } from "~/components/notice-document";
export { AdjustmentLog, BulletinEditor, type AdjustmentLogEntry, type EditorFailure } from "~/components/notice-editor";
