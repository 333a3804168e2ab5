#!/bin/sh
# Packages installed in an image build must not start their services (as in Debian's official images).
exit 101
