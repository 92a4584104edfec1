"""O2: the deploy kit is valid and says what production needs (11.9: no demo data)."""

import configparser
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import cluster  # noqa: E402 - tools/cluster.py renders deploy/ for loopback


def options(path):
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(path)
    return parser["options"]


def test_o2_production_odoo_conf():
    conf = options(ROOT / "deploy" / "odoo.conf")
    assert int(conf["workers"]) >= 2  # prefork: required for the websocket process
    assert conf["gevent_port"] and conf["http_interface"] == "127.0.0.1"
    assert conf.getboolean("proxy_mode")
    assert not conf.getboolean("list_db")
    assert conf["dbfilter"].startswith("^")
    assert conf["without_demo"] == "all"
    for limit in ("limit_memory_soft", "limit_memory_hard", "limit_time_cpu", "limit_time_real"):
        assert int(conf[limit]) > 0, limit
    assert "2 x CPU cores + 1" in (ROOT / "deploy" / "odoo.conf").read_text()


def test_11_9_repository_conf_says_it_is_the_demo_configuration():
    text = (ROOT / "odoo.conf").read_text()
    assert "DEMO configuration" in text
    assert "deploy/odoo.conf" in text


def test_o2_nginx_site_passes_nginx_t(tmp_path):
    """Debian's nginx accepts the site as shipped (only certificate, listen and log
    paths put on loopback), with the websocket and webhook rules in place."""
    site_text = (ROOT / "deploy" / "nginx" / "clinic.conf").read_text()
    assert "proxy_pass http://clinic_websocket;" in site_text
    assert "proxy_set_header Upgrade $http_upgrade;" in site_text
    assert "proxy_set_header Connection $connection_upgrade;" in site_text
    assert "client_max_body_size 64k;" in site_text  # SPEC T2/R1: 64 KiB bodies
    cert, key = cluster.self_signed_certificate(tmp_path)
    site = tmp_path / "clinic.conf"
    site.write_text(cluster.nginx_site(18170, 18171, cert, key, [(8069, 8072)], tmp_path))
    main = tmp_path / "nginx.conf"
    main.write_text(cluster.nginx_main(tmp_path, site))
    output = cluster.nginx_check(main)
    assert "syntax is ok" in output and "test is successful" in output


def test_o2_systemd_units_run_the_virtualenv_odoo():
    unit = (ROOT / "deploy" / "systemd" / "odoo-clinic.service").read_text()
    assert "ExecStart=/opt/clinic/.venv/bin/odoo -c /etc/odoo/clinic.conf" in unit
    assert "Restart=on-failure" in unit
    update = (ROOT / "deploy" / "systemd" / "odoo-clinic-update.service").read_text()
    assert "-u all --stop-after-init" in update
