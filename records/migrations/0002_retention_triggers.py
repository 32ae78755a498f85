"""The database keeps a cycle's record: BEFORE DELETE triggers on every table that makes it.

One trigger function, `records_keep_cycle_record()`, on each table with three arguments: how to find
the row's cycle (`via`: the cycle itself, or through its application, group, meeting, round, notice
or objection), the column that leads there, and what the running workflow may delete before the
cycle closes (`while_open`):

- `never`: nothing, at any time, until the retention period of the closed cycle has ended;
- `editable`: an applicant's file while the application is still a draft or returned for
  completion (awards.services.remove_file replaces or removes an upload then);
- `running`: while the cycle is not closed — a reopened stage result, its comprehensive evaluation
  and the feedback letter that explained it (reviews.reopening), and a meeting's attendance list
  that the what-if runner replaces with its own committee (orchestration.scenario_committee).

Once the cycle is closed nothing of its record can be deleted until the day after
`records_cycleretention.kept_until` (records.retention.record_close writes it with the close); a
closed cycle without that row is kept without end. The refusal is an SQLSTATE 23001
(restrict_violation, Django's IntegrityError) with a Chinese message naming the date and the
article.

Not guarded, on purpose: the committee's ballots and vote receipts (committee/ballot.py deletes and
re-inserts every one of a round when it closes, and a paper round's totals replace the ballots
entered, so that no system column links a member to a choice; the round and its per-candidate
tally are the record, docs/secret-ballot.md); reminders sent and site report reminders (a log of
mails, not the record).

Pytest-django's transactional tests empty the tables with TRUNCATE, which fires no row trigger, so
the suite is unaffected. The triggers are PostgreSQL's; on SQLite (the zero-setup demo) the
migration does nothing, since SQLite's triggers cannot raise with a message built from a query.
"""

from django.conf import settings
from django.db import migrations

# (table, via, column, while_open)
GUARDED = [
    ("awards_awardcycle", "cycle", "id", "never"),
    ("awards_historicalawardcycle", "cycle", "id", "never"),
    ("awards_cyclequota", "cycle", "cycle_id", "never"),
    ("awards_application", "cycle", "cycle_id", "never"),
    ("awards_historicalapplication", "cycle", "cycle_id", "never"),
    ("awards_applicationfile", "application", "application_id", "editable"),
    ("awards_applicationevent", "application", "application_id", "never"),
    ("awards_generateddocument", "application", "application_id", "never"),
    ("reviews_reviewgroup", "cycle", "cycle_id", "never"),
    ("reviews_groupmember", "group", "group_id", "never"),
    ("reviews_assignment", "application", "application_id", "never"),
    ("reviews_attestation", "application", "application_id", "never"),
    ("reviews_itemscore", "application", "application_id", "never"),
    ("reviews_historicalitemscore", "application", "application_id", "never"),
    ("reviews_scoresheet", "application", "application_id", "never"),
    ("reviews_historicalscoresheet", "application", "application_id", "never"),
    ("reviews_consensusitem", "application", "application_id", "never"),
    ("reviews_stageresult", "application", "application_id", "running"),
    ("reviews_historicalstageresult", "application", "application_id", "never"),
    ("reviews_sitevisit", "application", "application_id", "never"),
    ("reviews_evaluation", "application", "application_id", "running"),
    ("reviews_historicalevaluation", "application", "application_id", "never"),
    ("reviews_reviewdocument", "application", "application_id", "running"),
    ("committee_meeting", "cycle", "cycle_id", "never"),
    ("committee_attendance", "meeting", "meeting_id", "running"),
    ("committee_round", "meeting", "meeting_id", "never"),
    ("committee_roundcandidate", "round", "round_id", "never"),
    ("publicity_notice", "cycle", "cycle_id", "never"),
    ("publicity_noticeentry", "notice", "notice_id", "never"),
    ("publicity_objection", "notice", "notice_id", "never"),
    ("publicity_objectionfile", "objection", "objection_id", "never"),
    ("publicity_objectionevent", "objection", "objection_id", "never"),
    ("publicity_objectionletter", "objection", "objection_id", "never"),
    ("honours_approval", "cycle", "cycle_id", "never"),
    ("honours_honourclaim", "cycle", "cycle_id", "never"),
    ("honours_prize", "application", "application_id", "never"),
    ("honours_certificate", "application", "application_id", "never"),
]

FUNCTIONS = """
CREATE OR REPLACE FUNCTION records_cycle_of(via text, ref bigint) RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
BEGIN
  IF ref IS NULL THEN RETURN NULL; END IF;
  CASE via
    WHEN 'cycle' THEN RETURN ref;
    WHEN 'application' THEN RETURN (SELECT cycle_id FROM awards_application WHERE id = ref);
    WHEN 'group' THEN RETURN (SELECT cycle_id FROM reviews_reviewgroup WHERE id = ref);
    WHEN 'meeting' THEN RETURN (SELECT cycle_id FROM committee_meeting WHERE id = ref);
    WHEN 'round' THEN RETURN (SELECT m.cycle_id FROM committee_round r
                              JOIN committee_meeting m ON m.id = r.meeting_id WHERE r.id = ref);
    WHEN 'notice' THEN RETURN (SELECT cycle_id FROM publicity_notice WHERE id = ref);
    WHEN 'objection' THEN RETURN (SELECT n.cycle_id FROM publicity_objection o
                                  JOIN publicity_notice n ON n.id = o.notice_id WHERE o.id = ref);
    ELSE RAISE EXCEPTION 'records_cycle_of: unknown path %', via;
  END CASE;
END $$;

CREATE OR REPLACE FUNCTION records_keep_cycle_record() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  via text := TG_ARGV[0];
  col text := TG_ARGV[1];
  while_open text := TG_ARGV[2];
  row_json jsonb := to_jsonb(OLD);
  cyc bigint;
  cycle_state text;
  kept date;
  cite text;
  today date := (now() AT TIME ZONE '@TIME_ZONE@')::date;
BEGIN
  cyc := records_cycle_of(via, (row_json ->> col)::bigint);
  -- The row a child leads through is already gone in this same deletion: its own trigger decided.
  IF cyc IS NULL THEN RETURN OLD; END IF;
  SELECT state INTO cycle_state FROM awards_awardcycle WHERE id = cyc;
  IF cycle_state IS NULL THEN RETURN OLD; END IF;
  IF cycle_state = 'closed' THEN
    SELECT kept_until, cite_zh INTO kept, cite FROM records_cycleretention WHERE cycle_id = cyc;
    IF kept IS NOT NULL AND kept < today THEN RETURN OLD; END IF;
    IF kept IS NULL THEN
      RAISE EXCEPTION USING ERRCODE = 'restrict_violation',
        MESSAGE = format('评审档案不能删除：该评审年度已结束，未登记保存期限，档案长期保存（表 %s）。', TG_TABLE_NAME);
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'restrict_violation',
      MESSAGE = format('评审档案不能删除：该评审年度的评审资料须保存至%s（%s），期满前不能删除（表 %s）。',
                       to_char(kept, 'YYYY-MM-DD'), cite, TG_TABLE_NAME);
  END IF;
  IF while_open = 'running' THEN RETURN OLD; END IF;
  IF while_open = 'editable' AND (SELECT state FROM awards_application
                                  WHERE id = (row_json ->> 'application_id')::bigint) IN ('draft', 'returned') THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION USING ERRCODE = 'restrict_violation',
    MESSAGE = format('评审档案不能删除：该评审年度尚未结束，其评审资料在评审结束后还须按规定期限保存（表 %s）。',
                     TG_TABLE_NAME);
END $$;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTIONS.replace("@TIME_ZONE@", settings.TIME_ZONE), None)
    for table, via, column, while_open in GUARDED:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS records_keep_cycle_record ON {table}", None)
        schema_editor.execute(
            f"CREATE TRIGGER records_keep_cycle_record BEFORE DELETE ON {table} FOR EACH ROW "
            f"EXECUTE FUNCTION records_keep_cycle_record('{via}', '{column}', '{while_open}')", None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, _via, _column, _while_open in GUARDED:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS records_keep_cycle_record ON {table}", None)
    schema_editor.execute("DROP FUNCTION IF EXISTS records_keep_cycle_record()", None)
    schema_editor.execute("DROP FUNCTION IF EXISTS records_cycle_of(text, bigint)", None)


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0001_initial"),
        ("awards", "0004_cycle_publicity_states"),
        ("reviews", "0009_reviewer_pool"),
        ("committee", "0002_paper_totals_government_naming"),
        ("publicity", "0001_initial"),
        ("honours", "0002_certificate_revoked_by"),
    ]

    operations = [migrations.RunPython(create, drop)]
