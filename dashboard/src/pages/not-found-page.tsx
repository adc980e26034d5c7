import { PageTitle } from '../components/page-title';
import { Link } from '../router/link';
import { paths } from '../router/paths';

export function NotFoundPage() {
  return (
    <>
      <PageTitle title="Not found" />
      <p>
        There is no such screen. <Link href={paths.projects()}>Go to the projects</Link>.
      </p>
    </>
  );
}
