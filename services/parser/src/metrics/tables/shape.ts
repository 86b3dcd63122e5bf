/** A paragraph that is a table: most of its (two or more) lines hold tab-separated cells. */
export function isTableParagraph(text: string): boolean {
  if (!text.includes('\t')) return false;
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  return lines.length >= 2 && lines.filter((l) => l.includes('\t')).length >= Math.ceil(lines.length / 2);
}
