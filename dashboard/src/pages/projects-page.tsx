import type { CursorPage, Project, Route } from '../api/api-types';
import { queryString } from '../api/query-string';
import { CreateProjectForm } from '../components/create-project-form';
import { LoadingState } from '../components/loading-state';
import { PageTitle } from '../components/page-title';
import { RoutesList } from '../components/routes-list';
import { useResource } from '../hooks/use-resource';
import { Link } from '../router/link';
import { navigate } from '../router/navigation';
import { paths } from '../router/paths';
import { useSession } from '../session/session-context';

const PAGE = queryString({ 'page[size]': 100 });

/** The team's projects and their routes: where every path to a webhook starts. */
export function ProjectsPage() {
  const { api } = useSession();
  const projects = useResource(() => api.get<CursorPage<Project>>(`/v1/projects${PAGE}`), []);
  return (
    <>
      <PageTitle title="Projects" />
      <CreateProjectForm onCreated={(project) => navigate(paths.project(project.id))} />
      {!projects.data ? (
        <LoadingState error={projects.error} what="projects" />
      ) : projects.data.data.length === 0 ? (
        <p class="empty">No projects yet: create the first one above.</p>
      ) : (
        <div class="cards">
          {projects.data.data.map((project) => (
            <ProjectCard key={project.id} project={project} />
          ))}
        </div>
      )}
    </>
  );
}

function ProjectCard({ project }: { project: Project }) {
  const { api } = useSession();
  const routes = useResource(
    () => api.get<CursorPage<Route>>(`/v1/projects/${project.id}/routes${PAGE}`),
    [project.id],
  );
  return (
    <section class="panel card" aria-labelledby={`project-${project.id}`}>
      <h2 id={`project-${project.id}`}>
        <Link href={paths.project(project.id)}>{project.name}</Link>
      </h2>
      {routes.data ? <RoutesList routes={routes.data.data} /> : <LoadingState error={routes.error} what="routes" />}
    </section>
  );
}
