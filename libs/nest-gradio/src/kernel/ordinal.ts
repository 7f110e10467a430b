/** Gradio labels API parameters and outputs by position: `1st`, `2nd`, `3rd`, `4th`, … `11th`, `21st`. */
export function ordinal(position: number): string {
  const n = position + 1;
  const lastTwo = n % 100;
  if (lastTwo >= 11 && lastTwo <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}
