// The directory's rules: what a unit or an account must look like, whether typed into a form or
// read from an import file. Pure: facts from the database (existing codes, units, kinds) are
// passed in, so the same rules serve the forms, the import and the tests.
//
// Two files: directory-fields.ts (single values and the form schemas) and directory-import.ts
// (import files: columns, reading rows, checking them). This module is their one import path.
export * from "./directory-fields";
export * from "./directory-import";

/** The intents of the deactivate / reactivate buttons of a unit's or an account's page. */
export const TOGGLE_INTENTS = ["deactivate", "reactivate"] as const;
