import type { Project } from '../../store/project-store';

export function projectJson(project: Project) {
  return {
    id: project.id,
    name: project.name,
    created_at: project.createdAt.toISOString(),
    updated_at: project.updatedAt.toISOString(),
  };
}
