// Zod building blocks for form fields, with Chinese messages. Client-safe, so a form's
// schema can be shared by its action and its page.
import { z } from "zod";

/** A required, trimmed text field with a Chinese message. */
export function text(label: string, max = 200) {
  return z
    .string({ error: `请填写${label}` })
    .trim()
    .min(1, `请填写${label}`)
    .max(max, `${label}不能超过 ${max} 个字`);
}

export function optionalText(label: string, max = 200) {
  return z.string().trim().max(max, `${label}不能超过 ${max} 个字`).optional().default("");
}
