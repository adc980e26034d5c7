import type { temporal } from '@temporalio/proto';

type History = temporal.api.history.v1.IHistory;
const EventType = {
  started: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED',
  activityScheduled: 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED',
  timerStarted: 'EVENT_TYPE_TIMER_STARTED',
  upsert: 'EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES',
  signaled: 'EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED',
  marker: 'EVENT_TYPE_MARKER_RECORDED',
  taskCompleted: 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED',
} as const;

/** What one workflow cost Temporal, read off its history. */
export interface HistoryCost {
  events: number;
  workflowTasks: number;
  /**
   * Billable actions as Temporal Cloud counts them (docs.temporal.io/cloud/actions): the start, each scheduled
   * activity, each timer, each search attribute upsert, each signal, and all local activities of one workflow task
   * together as one.
   */
  actions: number;
}

export function historyCost(history: History, typeName: (type: number) => string): HistoryCost {
  const events = history.events ?? [];
  let actions = 0;
  let workflowTasks = 0;
  let localActivitiesInTask = false;
  for (const event of events) {
    const type = typeName(event.eventType ?? 0);
    switch (type) {
      case EventType.started:
      case EventType.activityScheduled:
      case EventType.timerStarted:
      case EventType.upsert:
      case EventType.signaled:
        actions++;
        break;
      case EventType.taskCompleted:
        workflowTasks++;
        localActivitiesInTask = false;
        break;
      case EventType.marker:
        if (event.markerRecordedEventAttributes?.markerName === 'core_local_activity' && !localActivitiesInTask) {
          localActivitiesInTask = true;
          actions++;
        }
        break;
    }
  }
  return { events: events.length, workflowTasks, actions };
}
