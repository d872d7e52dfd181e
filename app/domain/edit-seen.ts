// What an edit form showed of a row, carried back in its hidden field `seen`. An edit form posts
// every value it shows, so a form drawn before someone else's save (another admin, or the same one
// in another tab) would put back everything it still shows; the row is compared with what the form
// showed, and a row changed since is refused (409) with nothing written.

/** The values an edit form showed, as one string: the same values in any order read the same. */
export function seenToken(values: Readonly<Record<string, unknown>>): string {
  return JSON.stringify(Object.entries(values).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Why an edit is not saved: `what` ("这个版本", "该单位的信息") changed since the form was drawn. */
export function changedSinceShown(what: string): string {
  return `${what}在您打开页面之后已被修改（他人或您在另一个窗口保存过），这次没有保存；请刷新页面后再改。`;
}

/** What the unit edit form shows of a unit. */
export function unitSeen(u: { code: string; name: string; township: string; kind_code: string; signoff_required: number }): string {
  return seenToken({ code: u.code, name: u.name, township: u.township, kind: u.kind_code, signoff: u.signoff_required });
}

/** What the account edit form shows of an account. */
export function accountSeen(a: { display_name: string; phone: string; role: string; unit_id: number | null }): string {
  return seenToken({ display_name: a.display_name, phone: a.phone, role: a.role, unit_id: a.unit_id });
}
