-- Every generated applicant (reference L...) matched to their first choice (4 in 5) or offered it (1 in 5), so /host/
-- and the tutor list run against as many placements as applicants (benchmarks/load/growth.py). Demo rows are left alone.
BEGIN;
INSERT INTO placements_placement (application_id, cohort_id, created_at, offered_at, offer_expires_at, booked_seat,
    release_reason, host_decline_reason, host_decline_note, checks, joining_instructions, host_feedback, decide_by,
    host_cancel_note, host_cancel_reason)
SELECT rp.application_id, rp.cohort_id, now() - interval '2 days',
    CASE WHEN a.id % 5 = 0 THEN now() - interval '1 day' END,
    CASE WHEN a.id % 5 = 0 THEN now() + interval '6 days' END,
    false, '', '', '', '{}', '', '', current_date + 5, '', ''
FROM placements_routedpreference rp JOIN placements_application a ON a.id = rp.application_id
WHERE rp.rank = 1 AND a.reference LIKE 'L%';
UPDATE placements_application SET status = CASE WHEN id % 5 = 0 THEN 'offered' ELSE 'matched' END
WHERE reference LIKE 'L%' AND id IN (SELECT application_id FROM placements_placement);
COMMIT;
VACUUM ANALYZE;
