"""Part 2 of ``manage.py tour`` (audit/management/commands/tour.py): the API hit log.

The steps read the hits that part 1's requests left behind, through the tour's
``access`` (the user's access token), ``staff`` (a client with a staff token) and
``secrets_used`` (every password and token so far).
"""

from auditlog.models import LogEntry
from rest_framework.test import APIClient

from config.plumbing.tour import mask
from hits.models import ApiHit

BROWSER = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Safari/605.1.15"
)


class HitLogPart:
    """The tour's steps about the hit logger (hits/middleware.py), run by ``tour``."""

    def __init__(self, tour):
        self.tour = tour
        self.step, self.say, self.expect = tour.step, tour.say, tour.expect

    def steps(self):
        return [self.forged_token_is_logged, self.read_the_hit_log, self.no_secret_in_either_log]

    def forged_token_is_logged(self):
        self.say("\nPart 2. The API hit log (app hits): who called what", style="title")
        self.step(
            "A forged token: GET /api/notes/ with the last characters of the token changed.",
            "The logger reads the user DRF decided on after the view ran; it never decodes a token itself.",
        )
        forged = self.tour.access[:-4] + ("AAAA" if not self.tour.access.endswith("AAAA") else "BBBB")
        self.tour.secrets_used.append(forged)
        response = APIClient(HTTP_USER_AGENT=BROWSER).get("/api/notes/", HTTP_AUTHORIZATION=f"Bearer {forged}")
        self.expect(response.status_code == 401, f"a forged token gets DRF's 401 (got {response.status_code})")
        hit = ApiHit.objects.latest("pk")
        self.expect(hit.status_code == 401 and hit.user is None, "the 401 is logged, with user null")

    def read_the_hit_log(self):
        self.step(
            "The hit log: GET /api/hits/?limit=12 (staff only, newest first).",
            "One row per /api/ request, written after the response: status, user, client IP, browser.",
        )
        response = self.tour.staff.get("/api/hits/?limit=12")
        self.expect(response.status_code == 200, f"staff read the hit log (got {response.status_code})")
        for hit in response.json():
            self.say(
                f"  {hit['method']:<6} {hit['path']:<26} {hit['status_code']} user={hit['user']} "
                f"ip={hit['ip']} {hit['browser']}/{hit['os']} {hit['duration_ms']:.1f} ms"
            )
        paths = {hit["path"] for hit in response.json()}
        self.expect("/api/token/" in paths, "the logins are logged (step 12 looks for their passwords)")

    def no_secret_in_either_log(self):
        self.step(
            "Search the hit log and the audit log for every password and token used above.",
            "Neither stores a header, a query string or a body: there is nothing to leak.",
        )
        stored = " ".join(str(row) for row in ApiHit.objects.values())
        stored += " ".join(str(row) for row in LogEntry.objects.values())
        leaks = [mask(secret, shown=4) for secret in self.tour.secrets_used if secret in stored]
        self.say(
            f"  {len(self.tour.secrets_used)} secrets searched in {ApiHit.objects.count()} hits "
            f"and {LogEntry.objects.count()} audit entries"
        )
        self.expect(not leaks, f"no secret stored (found {leaks})")
