"""What SQLite alone needs for 1,000,000 responses on this machine, with the schema from the migrations.

No CSV parsing, no validation, no contacts, no rollups: the rows are generated in memory first (not timed), then
inserted in one transaction (WAL, synchronous=FULL, the import's pragmas), the responses indexes are built, and the
transaction commits. Python's sqlite3 adds its own per-row cost to the insert; the index builds and the commit are
SQLite's alone. Run: python3 bench/sqlite_floor.py
"""
import os, random, re, sqlite3, tempfile, time, uuid

here = os.path.dirname(os.path.abspath(__file__))
migrations = os.path.join(here, "..", "src", "Promoter", "Data", "Migrations", "Sqlite")
collect = open(os.path.join(migrations, "0002_collect.sql"), encoding="utf-8").read()
metrics = open(os.path.join(migrations, "0003_metrics.sql"), encoding="utf-8").read()
table = re.sub(r',\s*CONSTRAINT "fk[^\n]*', "", re.search(r'CREATE TABLE "responses" \(.*?\n\);', collect, re.S).group(0))
indexes = re.findall(r'CREATE (?:UNIQUE )?INDEX[^;]*ON "responses"[^;]*;', collect + metrics)

path = os.path.join(tempfile.mkdtemp(prefix="sqlite-floor-"), "floor.db")
db = sqlite3.connect(path, isolation_level=None)
for pragma in ("journal_mode=wal", "synchronous=full", "cache_size=-131072", "temp_store=memory", "wal_autocheckpoint=0"):
    db.execute("PRAGMA " + pragma)
db.execute(table)

random.seed(7)
workspace, survey = str(uuid.uuid4()).upper(), str(uuid.uuid4()).upper()
contacts = [str(uuid.uuid4()).upper() for _ in range(200_000)]
comments = ["Fast delivery, friendly staff", "التوصيل كان سريعاً", "Leveransen var snabb", "Брза испорака", "จัดส่งเร็วมาก", None, None]
columns = ("workspace_id", "survey_id", "contact_id", "score", "comment", "language", "channel", "status", "implicitly_confirmed",
           "properties", "responded_at", "created_at", "updated_at", "revision")
rows = [(workspace, survey, random.choice(contacts) if random.random() < 0.7 else None, random.randint(0, 10), random.choice(comments),
         "en", "import", "Final", 0, '{"region":"north","plan":"gold"}',
         "2025-%02d-%02d 10:11:12.123456" % (random.randint(1, 12), random.randint(1, 28)),
         "2026-12-02 18:00:00.1234567", "2026-12-02 18:00:00.1234567", 1) for _ in range(1_000_000)]

started = time.perf_counter()
db.execute("BEGIN IMMEDIATE")
db.executemany("INSERT INTO responses (%s) VALUES (%s)" % (", ".join(columns), ", ".join("?" * len(columns))), rows)
inserted = time.perf_counter()
for ddl in indexes:
    before = time.perf_counter()
    db.execute(ddl)
    print("%.2f s  %s" % (time.perf_counter() - before, ddl.split(" ON ")[0]))
indexed = time.perf_counter()
db.execute("COMMIT")
committed = time.perf_counter()
print("RESULT insert_seconds=%.2f index_seconds=%.2f commit_seconds=%.2f total_seconds=%.2f rows_per_s=%.0f" % (
    inserted - started, indexed - inserted, committed - indexed, committed - started, 1_000_000 / (committed - started)))
