# Real clients against a real httpd running the freshly built module:
# curl (HTTP/1.1, TLS, h2, h2c), Python requests, PHP cURL and headless
# Chromium POST and PUT to 307 rules and must arrive at the target with the
# same method and body (303/302 controls must switch to GET).  See
# clients/run.sh; everything it writes goes to out/clients/.

CLIENTS_PKGS = apache2 curl openssl perl python3 python3-requests \
               php-cli php-curl chromium $(BUILD_PKGS)

.PHONY: test-clients clients-clean

test-clients:
	tools/ensure-packages.sh $(CLIENTS_PKGS)
	$(MAKE) all
	HTTPD=$(HTTPD) timeout -k 10 600 clients/run.sh $(CLIENTS)

clients-clean:
	rm -rf out/clients

CLEAN_EXTRA += clients-clean
