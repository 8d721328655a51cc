-- The life of a referral after it ends. Keep in step with
-- migrations/sqlite/0010_referral_lifecycle.sql.
--
-- `outgoing_activities.referral` names the referral a queued activity belongs to, set when it
-- is queued, so withdrawing, closing or erasing the referral can take back what is not yet
-- delivered. `deliveries.maybe_received` is set once an attempt may have reached the other
-- server (it answered, or the connection broke after the request left), so the node knows
-- whether the receiver may have learnt of a referral. 'sending' is the state of a delivery
-- while its request is in flight; 'withdrawn' that of one taken back before it was sent.
ALTER TABLE outgoing_activities ADD COLUMN referral TEXT;
CREATE INDEX outgoing_activities_by_referral ON outgoing_activities (referral);
ALTER TABLE deliveries ADD COLUMN maybe_received BOOLEAN NOT NULL DEFAULT FALSE;

-- When a referral reached an end state (completed, declined, withdrawn, expired, closed):
-- retention counts from here. Existing ended referrals count from their last change.
ALTER TABLE referrals ADD COLUMN ended_at BIGINT;
UPDATE referrals SET ended_at = COALESCE(closed_at, updated_at)
    WHERE status IN ('completed', 'declined', 'withdrawn', 'closed');
CREATE INDEX referrals_to_erase ON referrals (ended_at) WHERE erased_at IS NULL;
CREATE INDEX referrals_unanswered ON referrals (status, created_at);

-- Who may refer people to the organisation: 'connected' (organisations it follows or that
-- follow it) or 'anyone' (any server this node federates with).
ALTER TABLE organisations ADD COLUMN referrals_from TEXT NOT NULL DEFAULT 'connected';
