/** A request to show a line in the editor: a new object each time, so asking twice for the same line works. */
export interface EditorReveal {
  path: string;
  line: number;
  column: number;
}
