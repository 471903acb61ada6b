import json
import urllib.request

from demo_harness import serve_demo
from demos import DEMOS


def test_serve_demo_migrates_and_serves_on_loopback_then_stops():
    demo = DEMOS[0]
    with serve_demo(demo.path, superuser=("admin", "a long admin passphrase")) as served:
        assert served.url.startswith("http://127.0.0.1:")
        # The first request builds the schema: slow on a busy machine, hence the minute.
        with urllib.request.urlopen(served.url + "/api/schema/?format=json", timeout=60) as response:
            assert response.status == 200
            assert "paths" in json.loads(response.read())
        count = served.manage("shell", "-c", "from django.contrib.auth.models import User; print(User.objects.count())")
        assert count.stdout.strip().splitlines()[-1] == "1"
        url = served.url
    try:
        urllib.request.urlopen(url + "/api/schema/", timeout=2)
        raise AssertionError("the server still answers after the block")
    except OSError:
        pass
