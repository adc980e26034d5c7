/** HTTP headers as name/value rows; a missing set (the request never went out) says so. */
export function HeadersTable({ headers, caption }: { headers: Record<string, string> | null; caption: string }) {
  if (!headers || Object.keys(headers).length === 0) return <p class="muted">None recorded.</p>;
  return (
    <div class="table-scroll">
      <table class="table headers-table">
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Header</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(headers).map(([name, value]) => (
            <tr key={name}>
              <th scope="row">
                <code>{name}</code>
              </th>
              <td class="break">
                <code>{value}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
