from . import clinic_wallboard, ir_websocket, res_company
