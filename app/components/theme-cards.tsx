// 报送要点 on the home pages: the month's themes for the schools (title and guidance), and each
// theme's coverage for the bureau (covered X / Y units, reported Z, the units not covered).
import { Link } from "~/components/link";
import { monthLabel } from "~/domain/time";

export interface CoverageView {
  id: number;
  title: string;
  guidance: string;
  categoryName: string | null;
  coverage: { expected: number; covered: number; reported: number; notCovered: Array<{ id: number; name: string; code: string }> };
}

/** A school's "本月报送要点" card; nothing when the month has no themes. */
export function SchoolThemesCard({ month, themes }: { month: string; themes: Array<{ id: number; title: string; guidance: string; categoryName: string | null }> }) {
  if (themes.length === 0) return null;
  return (
    <section className="card" aria-labelledby="school-themes-title">
      <h2 id="school-themes-title">本月报送要点</h2>
      <p className="muted small">{monthLabel(month)}教体局请各单位围绕以下要点组织稿件；写稿时可在“报送要点（可选）”中标注。</p>
      <ol className="theme-list">
        {themes.map((t) => (
          <li key={t.id}>
            <strong>{t.title}</strong>
            {t.categoryName ? <span className="muted small">（{t.categoryName}）</span> : null}
            {t.guidance ? <p className="small">{t.guidance}</p> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** Each theme's coverage, with the units not covered behind a <details>. */
export function ThemeCoverageList({ themes, headingLevel = 3, editHref }: { themes: CoverageView[]; headingLevel?: 2 | 3; editHref?: (id: number) => string }) {
  const H = headingLevel === 2 ? "h2" : "h3";
  return (
    <div className="theme-coverage">
      {themes.map((t) => (
        <article key={t.id} className="card theme-coverage__item">
          <H>
            {t.title}
            {t.categoryName ? <span className="muted small">（{t.categoryName}）</span> : null}
          </H>
          <p>
            已覆盖 <strong>{t.coverage.covered}</strong> / {t.coverage.expected} 个单位 · 已报送 <strong>{t.coverage.reported}</strong> 个单位
          </p>
          {t.coverage.notCovered.length > 0 ? (
            <details>
              <summary>尚未覆盖的单位（{t.coverage.notCovered.length}）</summary>
              <p className="small">{t.coverage.notCovered.map((u) => u.name).join("、")}</p>
            </details>
          ) : (
            <p className="muted small">应报单位均已覆盖。</p>
          )}
          {editHref ? (
            <p className="small">
              <Link to={editHref(t.id)} className="tap-target" aria-label={`修改或删除“${t.title}”`}>
                修改或删除
              </Link>
            </p>
          ) : null}
        </article>
      ))}
    </div>
  );
}

/** The reviewer's dashboard block: this month's themes and their coverage. */
export function ReviewerThemesCard({ month, themes }: { month: string; themes: CoverageView[] }) {
  return (
    <section aria-labelledby="reviewer-themes-title">
      <h2 id="reviewer-themes-title">{monthLabel(month)}报送要点完成情况</h2>
      {themes.length === 0 ? (
        <p className="muted">
          本月尚未发布报送要点。<Link to={`/themes?month=${month}`}>发布报送要点 →</Link>
        </p>
      ) : (
        <>
          <p className="muted small">已覆盖：至少一篇标注该要点的稿件已被采用；已报送：至少一篇已报送教体局。应报单位为本月有任务数的在用单位。</p>
          <ThemeCoverageList themes={themes} />
          <p>
            <Link to={`/themes?month=${month}`} className="tap-target">管理报送要点 →</Link>
          </p>
        </>
      )}
    </section>
  );
}
