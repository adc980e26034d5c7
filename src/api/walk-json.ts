/** A node of parsed JSON met on a walk: its value, where it is, and how deep (the root is 1). */
export interface JsonNode {
  value: unknown;
  path: PropertyKey[];
  depth: number;
}

/**
 * Visits every node of a parsed JSON value depth-first, without recursion (input may be thousands of levels deep).
 * `visit` answers false to skip a node's children, or `'stop'` to end the walk.
 */
export function walkJson(root: unknown, visit: (node: JsonNode) => boolean | 'stop'): void {
  const stack: JsonNode[] = [{ value: root, path: [], depth: 1 }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const answer = visit(node);
    if (answer === 'stop') return;
    if (answer === false || node.value === null || typeof node.value !== 'object') continue;
    const isArray = Array.isArray(node.value);
    const children = Object.entries(node.value);
    for (let i = children.length - 1; i >= 0; i--) {
      const [key, child] = children[i]!;
      stack.push({ value: child, path: [...node.path, isArray ? Number(key) : key], depth: node.depth + 1 });
    }
  }
}
