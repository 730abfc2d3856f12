/**
 * A worker activity interceptor that alerts "Hoạt động xử lý hồ sơ (workflow)" subscribers when
 * an activity keeps failing: when the attempt that fails is the threshold's (5 by default) — the
 * engine's own retry count, read from the public Context API. One failure key per activity type,
 * so an outage that fails many cases' activities is one alert an hour (the others count as repeats).
 */
import { Context } from '@temporalio/activity';
import type { ActivityInboundCallsInterceptor, ActivityInterceptorsFactory } from '@temporalio/worker';
import type { RaiseAlert } from './raiseAlert';

export const DEFAULT_ACTIVITY_ALERT_ATTEMPT = 5;

/** The unit an activity works for, when its input says (most case activities carry `unit`). */
function unitOf(args: readonly unknown[]): string | null {
  const first = args[0] as { unit?: { id?: unknown }; unitId?: unknown } | undefined;
  const id = first?.unit?.id ?? first?.unitId;
  return typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id) ? id : null;
}

function caseLink(workflowId: string | undefined): string {
  const code = workflowId?.match(/^certification-(.+)$/)?.[1];
  return code ? `/#/cases/${encodeURIComponent(code)}` : '/#/alerts';
}

export function activityAlertInterceptors(raise: RaiseAlert, threshold = DEFAULT_ACTIVITY_ALERT_ATTEMPT): ActivityInterceptorsFactory {
  return () => {
    const inbound: ActivityInboundCallsInterceptor = {
      async execute(input, next) {
        try {
          return await next(input);
        } catch (err) {
          const info = Context.current().info;
          if (info.attempt === threshold) {
            await raise({
              kind: 'workflow-activity',
              failureKey: `workflow-activity:${info.activityType}`,
              unitId: unitOf(input.args),
              title: `Hoạt động "${info.activityType}" thất bại ${info.attempt} lần liên tiếp`,
              detail: `Quy trình ${info.workflowExecution?.workflowId ?? '?'}: ${err instanceof Error ? err.message : String(err)}`.slice(0, 1_000),
              since: new Date(info.scheduledTimestampMs),
              link: caseLink(info.workflowExecution?.workflowId),
            }).catch(() => undefined);
          }
          throw err;
        }
      },
    };
    return { inbound };
  };
}
