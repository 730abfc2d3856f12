/**
 * The text of `project_case` (migrations 042, 043 and 045): 043 adds the notification on the
 * channel `case_projected` when the case row moved (infra/readModel/caseProjectionListener.ts); 045
 * keeps the run that wrote the row, and a write of another run moves it whatever its version (a
 * reset's new run starts from an earlier version than the run it ended).
 */
export function projectCaseFunctionSql({ replace, notify, byRun = false }: { replace: boolean; notify: boolean; byRun?: boolean }): string {
  const runColumn = byRun ? ', run_id' : '';
  return `
      ${replace ? 'create or replace' : 'create'} function project_case(p_case jsonb, p_events jsonb, p_steps jsonb) returns boolean language plpgsql as $$
        declare
          v_code text := p_case->>'case_code';
          v_event jsonb;
          v_audit jsonb;
          v_applied boolean;
        begin
          for v_event in select value from jsonb_array_elements(p_events) loop
            insert into certification_case_events (case_code, seq, at, kind, actor_id, data)
              values (v_code, (v_event->>'seq')::int, (v_event->>'at')::timestamptz, v_event->>'kind', (v_event->>'actorId')::uuid, v_event->'data')
              on conflict (case_code, seq) do nothing;
            if found then
              v_audit := v_event->'audit';
              perform audit_append((v_audit->>0)::timestamptz, (v_audit->>1)::uuid, v_audit->>2, (v_audit->>3)::uuid, v_audit->>4, v_audit->>5,
                                   v_audit->>6, (v_audit->>7)::int, (v_audit->>8)::jsonb, v_audit->>9, v_audit->>10, v_audit->>11);
            end if;
          end loop;
          insert into certification_cases (case_code, unit_id, status, step, step_right, received_by, received_at, overall_due_at,
              step_started_at, step_warn_at, step_due_at, citizen_name, citizen_id, complex, fee_vnd, certification_number, breaches,
              closed_at, view, updated_at, version, copies, refusal_ground, extension_count, extension_days, warnings, result_at, on_time${runColumn})
            select case_code, unit_id, status, step, step_right, received_by, received_at, overall_due_at,
              step_started_at, step_warn_at, step_due_at, citizen_name, citizen_id, complex, fee_vnd, certification_number, breaches,
              closed_at, view, updated_at, version, copies, refusal_ground, extension_count, extension_days, warnings, result_at, on_time${runColumn}
            from jsonb_populate_record(null::certification_cases, p_case)
            on conflict (case_code) do update set
              status = excluded.status, step = excluded.step, step_right = excluded.step_right, overall_due_at = excluded.overall_due_at,
              step_started_at = excluded.step_started_at, step_warn_at = excluded.step_warn_at, step_due_at = excluded.step_due_at,
              complex = excluded.complex, fee_vnd = excluded.fee_vnd, certification_number = excluded.certification_number, breaches = excluded.breaches,
              closed_at = excluded.closed_at, view = excluded.view, updated_at = excluded.updated_at, version = excluded.version,
              copies = excluded.copies, refusal_ground = excluded.refusal_ground, extension_count = excluded.extension_count,
              extension_days = excluded.extension_days, warnings = excluded.warnings, result_at = excluded.result_at, on_time = excluded.on_time${byRun ? `,
              run_id = excluded.run_id` : ''}
            where certification_cases.version < excluded.version${byRun ? `
              or (certification_cases.run_id is not null and excluded.run_id is not null and certification_cases.run_id <> excluded.run_id)` : ''};
          v_applied := found;
          if v_applied then${notify ? `
            perform pg_notify('case_projected', v_code);` : ''}
            delete from case_steps where case_code = v_code;
            insert into case_steps (case_code, unit_id, idx, step, started_at, ended_at, due_at, budget_minutes, working_minutes, officer_id, officer_name, outcome, late)
              select v_code, (p_case->>'unit_id')::uuid, idx, step, started_at, ended_at, due_at, budget_minutes, working_minutes, officer_id, officer_name, outcome, late
              from jsonb_populate_recordset(null::case_steps, p_steps);
          end if;
          return v_applied;
        end $$;
    `;
}
