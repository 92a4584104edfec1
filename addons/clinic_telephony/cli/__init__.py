from . import ari_connector, simulate
