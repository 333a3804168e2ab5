"""The Celery peer's worker: one task per uploaded JSON file, what a team would write instead of Stowage.

    /usr/bin/python3 -m celery -A ingest worker --pool prefork --concurrency 4

store(file_id, table, columns) in one PostgreSQL transaction: reads the file's bytes from `peer.uploads` (where
the peer's uploader put them), parses them with the standard library, COPYs the records' `columns` into
`peer.<table>` (made beforehand by the uploader, with the types Stowage gives them) or, for anything that is not a list of
objects, inserts one jsonb document, and marks the file done. Acknowledged after the task returns (acks_late),
so a worker that dies loses no file; no result backend: the `uploads` row is the result. No structure analysis,
no nested objects flattened, no report, no retry tiers: a sketch of the job, at the cost a team would accept.
"""
import io
import json
import os

import psycopg2
from celery import Celery
from celery.signals import worker_process_init

app = Celery("stowage_peer", broker=os.environ.get("PEER_BROKER", "amqp://guest:guest@127.0.0.1//"))
app.conf.update(task_acks_late=True, task_ignore_result=True, task_serializer="json", accept_content=["json"],
                worker_hijack_root_logger=False, broker_connection_retry_on_startup=True)

DSN = os.environ.get("PEER_DSN", "host=127.0.0.1 user=postgres dbname=postgres")
connection = None


@worker_process_init.connect
def connect(**_):
    """One connection per worker process, made after the fork."""
    global connection
    connection = psycopg2.connect(DSN)


def copy_value(value):
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, (dict, list)):
        value = json.dumps(value)
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


@app.task(name="store")
def store(file_id, table, columns):
    with connection, connection.cursor() as cursor:
        cursor.execute("select bytes from peer.uploads where id = %s", (file_id,))
        value = json.loads(bytes(cursor.fetchone()[0]))
        if isinstance(value, list) and value and all(isinstance(record, dict) for record in value):
            rows = io.StringIO()
            for record in value:
                rows.write(file_id)
                for column in columns:
                    rows.write("\t")
                    rows.write(copy_value(record.get(column)))
                rows.write("\n")
            rows.seek(0)
            names = ", ".join(f'"{column}"' for column in columns)
            cursor.copy_expert(f"copy peer.{table} (file_id, {names}) from stdin", rows)
            records = len(value)
        else:
            cursor.execute("insert into peer.documents (file_id, doc) values (%s, %s)", (file_id, json.dumps(value)))
            records = 1
        cursor.execute("update peer.uploads set records = %s, done_at = clock_timestamp() where id = %s",
                       (records, file_id))
