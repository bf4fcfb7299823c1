-- the desk board's "unassigned" filter: open work nobody has taken yet, in
-- creation order per status. without it a status with thousands of
-- tickets is read in full to find the few without an assignee. closed and
-- rejected tickets are left out, so the index stays the size of the desk.
create index tickets_unassigned_status_created_idx on tickets (status, created_at desc, id desc)
    where assignee_id is null and status in ('pending', 'approved', 'in_progress', 'completed');
