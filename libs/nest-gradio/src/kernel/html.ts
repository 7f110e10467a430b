/** Escapes text for HTML element content and quoted attribute values (the pages we render as strings). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
