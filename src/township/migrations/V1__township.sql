-- The township copy of every enrolled store (镇/街道 的积分超市副本).
--
-- Three kinds of rows:
--   * the stores' chained ledgers (point_entry, stock_movement, audit_log), row for row as
--     the store made them, keyed by (store_id, seq), with hash and prev_hash; a trigger refuses
--     any row that does not continue the chain the township holds (a fork is never taken);
--   * master records (households, goods, staff, rules, score sheets, donations, purchases,
--     sessions...), versioned: a change at the store is a new version here, nothing is edited;
--   * the township's own records: rollbacks accepted from audited restores (with the rows they
--     rolled back, kept), forks seen, pushes made.
-- Each store logs in with its own role; row-level security lets it read and add only its own
-- rows, and it holds no UPDATE or DELETE anywhere. Reports run as the township's owner.

CREATE SCHEMA IF NOT EXISTS township;

CREATE TABLE township.store (
    store_id    serial PRIMARY KEY,
    name        text NOT NULL UNIQUE CHECK (length(btrim(name)) > 0),
    role_name   text NOT NULL UNIQUE,
    -- Bound at the first push: the store's own code and name as its file says.
    store_code  integer,
    store_name  text,
    enrolled_at timestamptz NOT NULL DEFAULT now()
);

-- The store the logged-in role belongs to (NULL for the township's own roles).
CREATE FUNCTION township.current_store() RETURNS integer
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = township, pg_temp
    AS $$ SELECT store_id FROM township.store WHERE role_name = session_user $$;

CREATE TABLE township.point_entry (
    store_id      integer NOT NULL REFERENCES township.store,
    seq           bigint NOT NULL CHECK (seq >= 1),
    household_id  bigint NOT NULL,
    household_no  text NOT NULL,
    kind          text NOT NULL,
    amount        bigint NOT NULL,
    balance_after bigint NOT NULL,
    period        text,
    redemption_id bigint,
    receipt_no    text,
    reason        text,
    approved_by   text,
    staff_id      bigint NOT NULL,
    created_at    text NOT NULL,
    prev_hash     text NOT NULL,
    hash          text NOT NULL,
    -- Issue 15: a per-row signature if the store ever signs rows one by one (today NULL);
    -- per-transaction signatures live in transaction_signature.
    signature     bytea,
    pushed_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (store_id, seq)
);
CREATE INDEX point_entry_by_household ON township.point_entry (store_id, household_id);

CREATE TABLE township.stock_movement (
    store_id      integer NOT NULL REFERENCES township.store,
    seq           bigint NOT NULL CHECK (seq >= 1),
    goods_code    text NOT NULL,
    kind          text NOT NULL,
    qty           bigint NOT NULL,
    stock_after   bigint NOT NULL,
    donation_id   bigint,
    purchase_id   bigint,
    redemption_id bigint,
    source        text,
    reason        text,
    value_cents   bigint,
    staff_id      bigint NOT NULL,
    created_at    text NOT NULL,
    prev_hash     text NOT NULL,
    hash          text NOT NULL,
    signature     bytea,
    pushed_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (store_id, seq)
);

CREATE TABLE township.audit_log (
    store_id   integer NOT NULL REFERENCES township.store,
    seq        bigint NOT NULL CHECK (seq >= 1),
    staff_id   bigint,
    action     text NOT NULL,
    detail     text NOT NULL,
    created_at text NOT NULL,
    prev_hash  text NOT NULL,
    hash       text NOT NULL,
    signature  bytea,
    pushed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (store_id, seq)
);

-- Issue 15 (signed transactions): one row per signed store transaction, in the store's own
-- order, naming the rows it covers ("ledger:seq" list or ranges, as the store writes them),
-- the staff key it was made with and the signature. Shaped now so it slots in; nothing
-- writes it until the store has signatures (see docs/township-scale.md, "what to wire").
CREATE TABLE township.transaction_signature (
    store_id   integer NOT NULL REFERENCES township.store,
    seq        bigint NOT NULL CHECK (seq >= 1),
    staff_id   bigint,
    public_key text,
    covers     jsonb NOT NULL,
    signed_at  text NOT NULL,
    signature  bytea NOT NULL,
    prev_hash  text,
    hash       text,
    pushed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (store_id, seq)
);

-- The chain rule, enforced by the server whoever connects: a row must be the next sequence
-- number of its store's ledger and carry the hash of the row before it as its prev_hash.
-- SECURITY DEFINER: the head is the one the township holds, not the part of it the caller may see.
CREATE FUNCTION township.continue_chain() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = township, pg_temp AS $$
DECLARE
    head_seq  bigint;
    head_hash text;
BEGIN
    IF TG_TABLE_NAME = 'point_entry' THEN
        SELECT seq, hash INTO head_seq, head_hash FROM township.point_entry
         WHERE store_id = NEW.store_id ORDER BY seq DESC LIMIT 1;
    ELSIF TG_TABLE_NAME = 'stock_movement' THEN
        SELECT seq, hash INTO head_seq, head_hash FROM township.stock_movement
         WHERE store_id = NEW.store_id ORDER BY seq DESC LIMIT 1;
    ELSE
        SELECT seq, hash INTO head_seq, head_hash FROM township.audit_log
         WHERE store_id = NEW.store_id ORDER BY seq DESC LIMIT 1;
    END IF;
    IF NEW.seq <> COALESCE(head_seq, 0) + 1
       OR NEW.prev_hash <> COALESCE(head_hash, repeat('0', 64)) THEN
        RAISE EXCEPTION 'jifen fork: % of store % row % does not continue the chain held (head %)',
            TG_TABLE_NAME, NEW.store_id, NEW.seq, COALESCE(head_seq, 0)
            USING ERRCODE = 'JF001';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER point_entry_chain BEFORE INSERT ON township.point_entry
    FOR EACH ROW EXECUTE FUNCTION township.continue_chain();
CREATE TRIGGER stock_movement_chain BEFORE INSERT ON township.stock_movement
    FOR EACH ROW EXECUTE FUNCTION township.continue_chain();
CREATE TRIGGER audit_log_chain BEFORE INSERT ON township.audit_log
    FOR EACH ROW EXECUTE FUNCTION township.continue_chain();

-- Master records as they change: (kind, key) names the record at the store ("household",
-- "101001"), version 1, 2, … each a full copy of the record then.
CREATE TABLE township.master_row (
    store_id  integer NOT NULL REFERENCES township.store,
    kind      text NOT NULL,
    key       text NOT NULL,
    version   integer NOT NULL CHECK (version >= 1),
    body      jsonb NOT NULL,
    body_hash text NOT NULL,
    pushed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (store_id, kind, key, version)
);

-- security_invoker: a store's role reading it sees its own rows only (row-level security).
CREATE VIEW township.master_current WITH (security_invoker = true) AS
    SELECT DISTINCT ON (store_id, kind, key) store_id, kind, key, version, body, body_hash
      FROM township.master_row ORDER BY store_id, kind, key, version DESC;

-- An audited restore at the store, accepted as a marked rollback: the rows after kept_seq
-- that the township held are moved to rolled_back_row (kept, never deleted), and the store's
-- new rows continue from kept_seq.
CREATE TABLE township.rollback (
    rollback_id    serial PRIMARY KEY,
    store_id       integer NOT NULL REFERENCES township.store,
    ledger         text NOT NULL CHECK (ledger IN ('point_entry', 'stock_movement', 'audit_log')),
    kept_seq       bigint NOT NULL CHECK (kept_seq >= 0),
    rolled_from    bigint NOT NULL,
    rolled_to      bigint NOT NULL,
    restore_seq    bigint NOT NULL,
    restore_hash   text NOT NULL,
    restore_detail jsonb NOT NULL,
    accepted_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (rolled_from = kept_seq + 1 AND rolled_to >= rolled_from)
);

CREATE TABLE township.rolled_back_row (
    rollback_id integer NOT NULL REFERENCES township.rollback,
    store_id    integer NOT NULL REFERENCES township.store,
    ledger      text NOT NULL,
    seq         bigint NOT NULL,
    prev_hash   text NOT NULL,
    hash        text NOT NULL,
    body        jsonb NOT NULL,
    PRIMARY KEY (rollback_id, seq)
);

-- Accepts a rollback. Runs as the township's owner (SECURITY DEFINER) because a store's role
-- can never delete; it checks what a store cannot be trusted to: the caller's own store, a
-- named ledger, the kept head still held, and a restore record that continues the audit log
-- the township will hold after the rollback.
CREATE FUNCTION township.accept_rollback(
    p_store integer, p_ledger text, p_kept_seq bigint, p_kept_hash text,
    p_restore_seq bigint, p_restore_prev_hash text, p_restore_hash text, p_restore_detail jsonb
) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = township, pg_temp AS $$
DECLARE
    me        integer := p_store;
    caller    integer := township.current_store();
    held_hash text;
    head      bigint;
    audit_at  text;
    new_id    integer;
BEGIN
    -- A store's role rolls back its own rows only; the township's owner (an ingest) any store's.
    IF caller IS DISTINCT FROM p_store AND NOT (caller IS NULL AND (
           (SELECT rolsuper FROM pg_roles WHERE rolname = session_user)
           OR pg_has_role(session_user, (SELECT nspowner FROM pg_namespace WHERE nspname = 'township'), 'MEMBER'))) THEN
        RAISE EXCEPTION 'jifen rollback: a store may roll back only its own rows' USING ERRCODE = 'JF002';
    END IF;
    IF p_ledger NOT IN ('point_entry', 'stock_movement', 'audit_log') THEN
        RAISE EXCEPTION 'jifen rollback: unknown ledger %', p_ledger USING ERRCODE = 'JF002';
    END IF;
    EXECUTE format('SELECT max(seq) FROM township.%I WHERE store_id = $1', p_ledger) INTO head USING me;
    IF head IS NULL OR head <= p_kept_seq THEN
        RAISE EXCEPTION 'jifen rollback: nothing after % to roll back', p_kept_seq USING ERRCODE = 'JF002';
    END IF;
    IF p_kept_seq = 0 THEN
        held_hash := repeat('0', 64);
    ELSE
        EXECUTE format('SELECT hash FROM township.%I WHERE store_id = $1 AND seq = $2', p_ledger)
            INTO held_hash USING me, p_kept_seq;
    END IF;
    IF held_hash IS DISTINCT FROM p_kept_hash THEN
        RAISE EXCEPTION 'jifen rollback: kept head % of % is not the row the township holds', p_kept_seq, p_ledger
            USING ERRCODE = 'JF002';
    END IF;
    -- The restore record must be where the audit log will continue: right after its kept head.
    IF p_restore_seq = 1 THEN
        audit_at := repeat('0', 64);
    ELSE
        SELECT hash INTO audit_at FROM township.audit_log WHERE store_id = me AND seq = p_restore_seq - 1;
    END IF;
    IF audit_at IS DISTINCT FROM p_restore_prev_hash THEN
        RAISE EXCEPTION 'jifen rollback: the restore record does not follow the audit log held' USING ERRCODE = 'JF002';
    END IF;
    INSERT INTO township.rollback (store_id, ledger, kept_seq, rolled_from, rolled_to, restore_seq,
                                   restore_hash, restore_detail)
        VALUES (me, p_ledger, p_kept_seq, p_kept_seq + 1, head, p_restore_seq, p_restore_hash, p_restore_detail)
        RETURNING rollback_id INTO new_id;
    EXECUTE format(
        'INSERT INTO township.rolled_back_row (rollback_id, store_id, ledger, seq, prev_hash, hash, body)
         SELECT $1, store_id, %L, seq, prev_hash, hash, to_jsonb(t) - ''store_id'' - ''pushed_at''
           FROM township.%I t WHERE store_id = $2 AND seq > $3', p_ledger, p_ledger)
        USING new_id, me, p_kept_seq;
    EXECUTE format('DELETE FROM township.%I WHERE store_id = $1 AND seq > $2', p_ledger) USING me, p_kept_seq;
    RETURN new_id;
END $$;

-- A fork a store ran into: what the township holds and what the store tried to send instead.
CREATE TABLE township.fork_report (
    fork_id      serial PRIMARY KEY,
    store_id     integer NOT NULL REFERENCES township.store,
    ledger       text NOT NULL,
    seq          bigint NOT NULL,
    held_hash    text,
    offered_hash text,
    seen_at      timestamptz NOT NULL DEFAULT now()
);

-- Every push or ingest that took rows.
CREATE TABLE township.push_log (
    push_id     serial PRIMARY KEY,
    store_id    integer NOT NULL REFERENCES township.store,
    via         text NOT NULL CHECK (via IN ('push', 'ingest')),
    rows_added  bigint NOT NULL,
    heads       jsonb NOT NULL,
    finished_at timestamptz NOT NULL DEFAULT now()
);

-- A store's role: read and add its own rows only.
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['point_entry', 'stock_movement', 'audit_log', 'transaction_signature',
                             'master_row', 'rollback', 'rolled_back_row', 'fork_report', 'push_log']
    LOOP
        EXECUTE format('ALTER TABLE township.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY own_rows_read ON township.%I FOR SELECT USING (store_id = township.current_store())', t);
        EXECUTE format('CREATE POLICY own_rows_add ON township.%I FOR INSERT WITH CHECK (store_id = township.current_store())', t);
    END LOOP;
END $$;
ALTER TABLE township.store ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_store ON township.store FOR SELECT USING (store_id = township.current_store());

-- Granted to each store's role at enrolment.
-- Roles are shared by the whole cluster: another township database may have made it.
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jifen_store') THEN
        CREATE ROLE jifen_store NOLOGIN;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL; -- made at the same moment by another database's migration
END $$;
GRANT USAGE ON SCHEMA township TO jifen_store;
GRANT SELECT ON township.store TO jifen_store;
GRANT UPDATE (store_code, store_name) ON township.store TO jifen_store;
CREATE POLICY own_store_bind ON township.store FOR UPDATE
    USING (store_id = township.current_store() AND store_code IS NULL)
    WITH CHECK (store_id = township.current_store());
GRANT SELECT, INSERT ON township.point_entry, township.stock_movement, township.audit_log,
    township.transaction_signature, township.master_row, township.fork_report, township.push_log
    TO jifen_store;
GRANT SELECT ON township.master_current, township.rollback, township.rolled_back_row TO jifen_store;
GRANT USAGE ON SEQUENCE township.fork_report_fork_id_seq, township.push_log_push_id_seq TO jifen_store;
GRANT EXECUTE ON FUNCTION township.accept_rollback(integer, text, bigint, text, bigint, text, text, jsonb) TO jifen_store;
REVOKE EXECUTE ON FUNCTION township.accept_rollback(integer, text, bigint, text, bigint, text, text, jsonb) FROM PUBLIC;
