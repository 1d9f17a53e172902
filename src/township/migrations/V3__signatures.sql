-- The store's signed record reaches the township (issue 21, with issue 15): the staff key
-- history, the change records of the mutable tables and one signature per committed store
-- transaction, each row as the store made it (hash, previous hash, signature), so that the
-- township can verify the signatures of the rows it holds against the keys it holds.
--
-- `transaction_signature` of V1 was a placeholder shaped before the store signed anything; the
-- store's own table is `txn_signature` (spans per chain), copied here column for column. The
-- placeholder stays (migrations are never edited) and stays empty.

CREATE TABLE township.staff_key (
    store_id   integer NOT NULL REFERENCES township.store,
    seq        bigint NOT NULL CHECK (seq >= 1),
    staff_id   bigint NOT NULL,
    public_key text NOT NULL CHECK (length(public_key) = 64),
    reason     text NOT NULL,
    created_at text NOT NULL,
    prev_hash  text NOT NULL,
    hash       text NOT NULL,
    pushed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (store_id, seq)
);

CREATE TABLE township.record_change (
    store_id   integer NOT NULL REFERENCES township.store,
    seq        bigint NOT NULL CHECK (seq >= 1),
    table_name text NOT NULL,
    row_id     bigint NOT NULL,
    state_hash text,
    prev_hash  text NOT NULL,
    hash       text NOT NULL,
    pushed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (store_id, seq)
);

-- Not a chain at the store (each signature signs the chains' heads instead); `prev_hash` and
-- `hash` are derived so the rollback machinery can keep and compare these rows like the others:
-- a row is named by its own signature.
CREATE TABLE township.txn_signature (
    store_id     integer NOT NULL REFERENCES township.store,
    seq          bigint NOT NULL CHECK (seq >= 1),
    staff_id     bigint NOT NULL,
    key_id       bigint NOT NULL,
    points_from  bigint, points_to  bigint, points_head  text,
    stock_from   bigint, stock_to   bigint, stock_head   text,
    audit_from   bigint, audit_to   bigint, audit_head   text,
    changes_from bigint, changes_to bigint, changes_head text,
    keys_from    bigint, keys_to    bigint, keys_head    text,
    signature    bytea NOT NULL CHECK (length(signature) = 64),
    prev_hash    text NOT NULL GENERATED ALWAYS AS ('') STORED,
    hash         text NOT NULL GENERATED ALWAYS AS (encode(signature, 'hex')) STORED,
    pushed_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (store_id, seq)
);

-- The same chain rule as the ledgers: the next sequence number, continuing the hash the
-- township holds (txn_signature: the next sequence number only).
CREATE FUNCTION township.continue_signed() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = township, pg_temp AS $$
DECLARE
    head_seq  bigint;
    head_hash text;
BEGIN
    IF TG_TABLE_NAME = 'staff_key' THEN
        SELECT seq, hash INTO head_seq, head_hash FROM township.staff_key
         WHERE store_id = NEW.store_id ORDER BY seq DESC LIMIT 1;
    ELSIF TG_TABLE_NAME = 'record_change' THEN
        SELECT seq, hash INTO head_seq, head_hash FROM township.record_change
         WHERE store_id = NEW.store_id ORDER BY seq DESC LIMIT 1;
    ELSE
        SELECT seq INTO head_seq FROM township.txn_signature
         WHERE store_id = NEW.store_id ORDER BY seq DESC LIMIT 1;
    END IF;
    IF NEW.seq <> COALESCE(head_seq, 0) + 1
       OR (TG_TABLE_NAME <> 'txn_signature' AND NEW.prev_hash <> COALESCE(head_hash, repeat('0', 64))) THEN
        RAISE EXCEPTION 'jifen fork: % of store % row % does not continue the chain held (head %)',
            TG_TABLE_NAME, NEW.store_id, NEW.seq, COALESCE(head_seq, 0)
            USING ERRCODE = 'JF001';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER staff_key_chain BEFORE INSERT ON township.staff_key
    FOR EACH ROW EXECUTE FUNCTION township.continue_signed();
CREATE TRIGGER record_change_chain BEFORE INSERT ON township.record_change
    FOR EACH ROW EXECUTE FUNCTION township.continue_signed();
CREATE TRIGGER txn_signature_chain BEFORE INSERT ON township.txn_signature
    FOR EACH ROW EXECUTE FUNCTION township.continue_signed();

-- An audited restore rolls these back with the ledgers (the restored file is older in all of
-- them): the same marked rollback, its rows kept.
ALTER TABLE township.rollback DROP CONSTRAINT rollback_ledger_check;
ALTER TABLE township.rollback ADD CONSTRAINT rollback_ledger_check CHECK (ledger IN
    ('point_entry', 'stock_movement', 'audit_log', 'staff_key', 'record_change', 'txn_signature'));

CREATE OR REPLACE FUNCTION township.accept_rollback(
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
    IF caller IS DISTINCT FROM p_store AND NOT (caller IS NULL AND (
           (SELECT rolsuper FROM pg_roles WHERE rolname = session_user)
           OR pg_has_role(session_user, (SELECT nspowner FROM pg_namespace WHERE nspname = 'township'), 'MEMBER'))) THEN
        RAISE EXCEPTION 'jifen rollback: a store may roll back only its own rows' USING ERRCODE = 'JF002';
    END IF;
    IF p_ledger NOT IN ('point_entry', 'stock_movement', 'audit_log', 'staff_key', 'record_change', 'txn_signature') THEN
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
    IF held_hash IS DISTINCT FROM p_kept_hash AND NOT (p_ledger = 'txn_signature' AND p_kept_seq = 0) THEN
        RAISE EXCEPTION 'jifen rollback: kept head % of % is not the row the township holds', p_kept_seq, p_ledger
            USING ERRCODE = 'JF002';
    END IF;
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

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['staff_key', 'record_change', 'txn_signature']
    LOOP
        EXECUTE format('ALTER TABLE township.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY own_rows_read ON township.%I FOR SELECT USING (store_id = township.current_store())', t);
        EXECUTE format('CREATE POLICY own_rows_add ON township.%I FOR INSERT WITH CHECK (store_id = township.current_store())', t);
    END LOOP;
END $$;
GRANT SELECT, INSERT ON township.staff_key, township.record_change, township.txn_signature TO jifen_store;
