"""Reads a running Open311 GeoReport v2 server with the third-party `georeport` client (PyPI, 0.3.1).

Usage: georeport-client.py ROOT JURISDICTION SERVICE_REQUEST_ID
Prints one JSON object: what the client got from services, a service definition and requests, in both formats.
"""
import json
import sys

from georeport import GeoReport


def main() -> None:
    root, jurisdiction, request_id = sys.argv[1:4]
    as_json = GeoReport(root, jurisdiction=jurisdiction, output_format='json')
    as_xml = GeoReport(root, jurisdiction=jurisdiction, output_format='xml')
    services = as_json.get_service_list()
    services_xml = as_xml.get_service_list()
    first_code = services[0]['service_code']
    definition = as_json.get_service_definition(first_code)
    requests_json = as_json.get_service_requests(service_request_id=request_id)
    one_json = as_json.get_service_request(request_id)
    one_xml = as_xml.get_service_request(request_id)
    open_json = as_json.get_service_requests(status='open')
    print(json.dumps({
        'service_codes': [service['service_code'] for service in services],
        'service_codes_xml': [service['service_code'] for service in services_xml],
        'definition_code': definition['service_code'],
        'definition_attributes': [attribute['code'] for attribute in definition['attributes']],
        'requests': requests_json,
        'request': one_json,
        'request_xml': one_xml,
        'open_ids': [request['service_request_id'] for request in open_json],
    }, ensure_ascii=False))


if __name__ == '__main__':
    main()
