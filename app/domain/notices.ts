// 通报: what a monthly notice and a year-end summary say, in six parts that each fit in a head:
// the lists and their adjustments (notice-lists), the lists as a table to check (notice-list-sheet),
// the monthly body (notice-monthly), the year-end body (notice-annual), the document's header and
// 文号 (notice-document), and the outline and attached tables both renderers follow (notice-outline). Composed from frozen numbers (a closed
// month's snapshot, or the closed months of a year) and the selection rules of notice-selection.ts.
export * from "./notice-annual";
export * from "./notice-document";
export * from "./notice-lists";
export * from "./notice-list-sheet";
export * from "./notice-monthly";
export * from "./notice-outline";
