// Small pieces every form uses: a field's error, and the form-level error.

export function FieldError({ id, error }: { id: string; error?: string }) {
  if (!error) return null;
  return (
    <span className="error" id={`${id}-error`} role="alert">
      {error}
    </span>
  );
}

export function FormError({ error }: { error?: string }) {
  if (!error) return null;
  return (
    <p className="form-error" role="alert">
      {error}
    </p>
  );
}
