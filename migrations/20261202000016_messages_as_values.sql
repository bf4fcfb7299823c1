-- what ga desk records for people to read later is kept as a value
-- ({"code": ..., "params": {...}}) and put into words when read, in the
-- reader's language. existing english sentences are converted.

-- notifications: the english message becomes the event it described.
alter table notifications add column event jsonb;

update notifications set event = case kind
    when 'status_changed' then jsonb_build_object(
        'code', 'status_changed',
        'params', jsonb_build_object(
            'number', split_part(message, ' is now ', 1),
            'status', case split_part(message, ' is now ', 2)
                when 'waiting for approval' then 'waiting_approval'
                when 'in progress' then 'in_progress'
                else split_part(message, ' is now ', 2)
            end))
    when 'awaiting_approval' then jsonb_build_object(
        'code', 'awaiting_approval',
        'params', jsonb_build_object('number', split_part(message, ' ', 1)))
    when 'assigned' then jsonb_build_object(
        'code', 'assigned',
        'params', jsonb_build_object('number', split_part(message, ' ', 1)))
    when 'commented' then jsonb_build_object(
        'code', 'commented',
        'params', jsonb_build_object(
            'number', regexp_replace(message, '^.* commented on ', ''),
            'author', regexp_replace(message, ' commented on [^ ]*$', '')))
end;

alter table notifications
    alter column event set not null,
    add constraint notifications_event_kind check (event ->> 'code' = kind),
    drop column message;

-- security log: the detail becomes a value; an empty one none at all.
alter table security_events add column detail_value jsonb;

update security_events set detail_value = case
    when detail = '' then null
    when detail = 'a rotated refresh token was presented again; the session was ended'
        then '{"code": "session_ended_for_reuse"}'::jsonb
    when detail = 'too many failed sign-ins; try again later'
        then '{"code": "too_many_failures"}'::jsonb
    when detail = 'single sign-on for an inactive account'
        then '{"code": "inactive_account"}'::jsonb
    when detail = 'first sign-in: account created as requester'
        then '{"code": "created_by_sso"}'::jsonb
    when detail ~ '^role (requester|approver|agent|admin)$'
        then jsonb_build_object('code', 'with_role',
            'params', jsonb_build_object('role', substring(detail from 6)))
    when detail ~ '^(requester|approver|agent|admin) → (requester|approver|agent|admin)$'
        then jsonb_build_object('code', 'role_changed',
            'params', jsonb_build_object(
                'from', split_part(detail, ' → ', 1),
                'to', split_part(detail, ' → ', 2)))
    else jsonb_build_object('code', 'legacy', 'params', jsonb_build_object('text', detail))
end;

alter table security_events drop column detail;
alter table security_events rename column detail_value to detail;
alter table security_events add constraint security_events_detail_code
    check (detail is null or jsonb_typeof(detail -> 'code') = 'string');

-- notes ga desk writes itself sit beside the people's notes.
alter table ticket_history add column system_note jsonb
    check (system_note is null or jsonb_typeof(system_note -> 'code') = 'string');
update ticket_history
    set system_note = '{"code": "auto_closed", "params": {"days": 7}}'::jsonb, note = ''
    where action = 'auto_close' and note = 'Closed automatically 7 days after completion';

alter table asset_history add column system_note jsonb
    check (system_note is null or jsonb_typeof(system_note -> 'code') = 'string');
update asset_history
    set system_note = jsonb_build_object('code', 'handed_out_for',
            'params', jsonb_build_object('number', substring(note from 16))),
        note = ''
    where note ~ '^Handed out for GA-[0-9]{4}-[0-9]+$';

alter table stock_movements add column system_note jsonb
    check (system_note is null or jsonb_typeof(system_note -> 'code') = 'string');
update stock_movements
    set system_note = jsonb_build_object('code', 'handed_out_for',
            'params', jsonb_build_object('number', substring(reason from 16))),
        reason = ''
    where reason ~ '^Handed out for GA-[0-9]{4}-[0-9]+$';
update stock_movements
    set system_note = '{"code": "opening_stock"}'::jsonb, reason = ''
    where reason = 'Opening stock' and kind = 'receive';
