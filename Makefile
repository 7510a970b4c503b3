# xvs - one top-level Makefile for the data plane, libxvs, xvsd, xvsadm,
# xvs-rs, the tests and the benchmarks.
#
#   make              build everything into build/
#   make check        install test deps, run every test (README command 2)
#   make demo         the namespace lab in DR mode with real traffic (command 1)
#   make SAN=1        build user space with ASan/UBSan into build-san/

CC      ?= gcc
CLANG   ?= clang
BPFTOOL ?= bpftool
ARCH_INC := /usr/include/$(shell $(CC) -dumpmachine)

ifeq ($(SAN),1)
B       ?= build-san
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else
B       ?= build
SANFLAGS :=
endif

CFLAGS  ?= -O2 -g
CFLAGS  += -std=gnu11 -Wall -Wextra -Werror=implicit-function-declaration \
           -Iinclude -Ilib -I$(B)/skel -D_GNU_SOURCE $(SANFLAGS)
LDFLAGS += $(SANFLAGS)
LDLIBS  += -lbpf -lelf -lz -lmnl -lmicrohttpd -lssl -lcrypto

BPF_CFLAGS := -O2 -g -target bpf -mcpu=v3 -Wall -Wextra -Wno-unused-parameter \
              -Iinclude -Ibpf -I$(ARCH_INC)

BPF_SRCS  := $(wildcard bpf/*.bpf.c)
BPF_OBJS  := $(patsubst bpf/%.bpf.c,$(B)/bpf/%.bpf.o,$(BPF_SRCS))
BPF_SKELS := $(patsubst bpf/%.bpf.c,$(B)/skel/%.skel.h,$(BPF_SRCS))
BPF_HDRS  := $(wildcard bpf/lib/*.h) $(wildcard include/xvs/*.h) $(wildcard rs/*-t.h)

LIB_SRCS := $(wildcard lib/*.c)
LIB_OBJS := $(patsubst %.c,$(B)/%.o,$(LIB_SRCS))
LIBXVS   := $(B)/libxvs.a

XVSD_SRCS   := $(wildcard daemon/*.c daemon/*/*.c)
XVSADM_SRCS := $(wildcard cli/*.c)
XVSRS_SRCS  := $(wildcard rs/*.c)
XVSD_OBJS   := $(patsubst %.c,$(B)/%.o,$(XVSD_SRCS))
XVSADM_OBJS := $(patsubst %.c,$(B)/%.o,$(XVSADM_SRCS))
XVSRS_OBJS  := $(patsubst %.c,$(B)/%.o,$(XVSRS_SRCS))

BINS := $(B)/xvsd $(B)/xvsadm $(B)/xvs-rs $(B)/xvs-genhash

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(B)/tests/unit/%,$(UNIT_SRCS))
BPFT_SRCS := $(wildcard tests/bpf/test_*.c)
BPFT_BINS := $(patsubst tests/bpf/%.c,$(B)/tests/bpf/%,$(BPFT_SRCS))
BENCH_SRCS := $(wildcard bench/*.c)
BENCH_BINS := $(patsubst bench/%.c,$(B)/bench/%,$(BENCH_SRCS))

# Objects of the programs that unit tests link against, without main().
XVSD_LIBOBJS   := $(filter-out $(B)/daemon/main.o,$(XVSD_OBJS))
XVSADM_LIBOBJS := $(filter-out $(B)/cli/main.o,$(XVSADM_OBJS))
XVSRS_LIBOBJS  := $(filter-out $(B)/rs/main.o,$(XVSRS_OBJS))

.PHONY: all deps check check-unit check-bpf check-net check-san check-long \
        demo bench clean install fuzz check-fuzz
all: $(BPF_OBJS) $(BPF_SKELS) $(LIBXVS) $(BINS)

deps:
	@./scripts/install-deps.sh

$(B)/bpf/%.bpf.o: bpf/%.bpf.c $(BPF_HDRS)
	@mkdir -p $(@D)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(B)/skel/%.skel.h: $(B)/bpf/%.bpf.o
	@mkdir -p $(@D)
	$(BPFTOOL) gen skeleton $< name $(subst -,_,$*) > $@.tmp && mv $@.tmp $@

$(B)/%.o: %.c $(BPF_SKELS) $(wildcard include/xvs/*.h lib/*.h daemon/*.h daemon/*/*.h cli/*.h rs/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@

$(LIBXVS): $(LIB_OBJS)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

$(B)/xvsd: $(XVSD_OBJS) $(LIBXVS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(B)/xvsadm: $(XVSADM_OBJS) $(LIBXVS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(B)/xvs-rs: $(XVSRS_OBJS) $(LIBXVS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
# keepalived's genhash is xvsd run under this name (daemon/check/genhash.c).
$(B)/xvs-genhash: $(B)/xvsd
	ln -sf xvsd $@

# A unit test links the objects of the program it tests, by its name:
# test_cli_* xvsadm's, test_rs_* xvs-rs's, any other test_* xvsd's.
UNIT_LINK = $(LIBXVS) $(LDLIBS) -lcmocka
$(B)/tests/unit/test_cli_%: tests/unit/test_cli_%.c $(XVSADM_LIBOBJS) $(LIBXVS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(XVSADM_LIBOBJS) $(UNIT_LINK)
$(B)/tests/unit/test_rs_%: tests/unit/test_rs_%.c $(XVSRS_LIBOBJS) $(LIBXVS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(XVSRS_LIBOBJS) $(UNIT_LINK)
$(B)/tests/unit/test_%: tests/unit/test_%.c $(XVSD_LIBOBJS) $(LIBXVS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(XVSD_LIBOBJS) $(UNIT_LINK)

$(B)/tests/bpf/%: tests/bpf/%.c $(wildcard tests/bpf/*.h) $(LIBXVS) $(BPF_SKELS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -Itests/bpf -o $@ $< $(LIBXVS) $(LDLIBS) -lcmocka

$(B)/bench/%: bench/%.c $(wildcard bench/*.h tests/bpf/*.h) $(XVSD_LIBOBJS) $(LIBXVS) $(BPF_SKELS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -Itests/bpf -Idaemon -o $@ $< $(XVSD_LIBOBJS) $(LIBXVS) $(LDLIBS)

check: deps
	$(MAKE) all
	$(MAKE) check-unit
	$(MAKE) check-san
	$(MAKE) check-bpf
	$(MAKE) check-fuzz
	$(MAKE) check-net
	@echo "check: all suites passed"

check-unit: $(UNIT_BINS)
	@./tests/run-suite unit $(UNIT_BINS)

check-bpf: all $(BPFT_BINS)
	@./tests/run-suite bpf $(BPFT_BINS)

# Unit tests, then xvsd, xvsadm and xvs-rs themselves under ASan/UBSan in
# the namespace tests that stress them most: a sanitizer error aborts the
# daemon, which those tests notice.
SAN_NET_TESTS := tests/net/test_robust.sh tests/net/test_restart.sh \
		 tests/net/test_metrics.sh tests/net/test_check.sh
check-san:
	$(MAKE) SAN=1 all
	$(MAKE) SAN=1 check-unit
	ASAN_OPTIONS=abort_on_error=1 XVS_BIN=$(CURDIR)/build-san \
		./tests/net/run-all $(SAN_NET_TESTS)

check-net: all
	@./tests/net/run-all

check-long: check
	@XVS_LONG=1 ./tests/net/run-all

demo: deps
	$(MAKE) all
	./lab/demo.sh

bench: all $(BENCH_BINS)
	./bench/run.sh

install: all
	install -D -m 0755 $(B)/xvsd $(DESTDIR)/usr/local/sbin/xvsd
	install -D -m 0755 $(B)/xvsadm $(DESTDIR)/usr/local/sbin/xvsadm
	install -D -m 0755 $(B)/xvs-rs $(DESTDIR)/usr/local/sbin/xvs-rs
	ln -sf xvsadm $(DESTDIR)/usr/local/sbin/ipvsadm
	install -D -m 0644 deploy/systemd/xvsd.service \
		$(DESTDIR)/usr/local/lib/systemd/system/xvsd.service
	install -D -m 0755 scripts/ipvsadm-save $(DESTDIR)/usr/local/sbin/ipvsadm-save
	install -D -m 0755 scripts/ipvsadm-restore $(DESTDIR)/usr/local/sbin/ipvsadm-restore
	ln -sf xvsd $(DESTDIR)/usr/local/sbin/xvs-genhash

# libFuzzer target for the keepalived.conf parser (clang, ASan, UBSan);
# check-fuzz runs it 60 s from tests/fuzz/corpus.
FUZZ_SRCS := tests/fuzz/fuzz_kconf.c $(wildcard lib/kconf*.c) lib/log.c lib/addr.c lib/names.c
fuzz: $(B)/fuzz/fuzz_kconf
$(B)/fuzz/fuzz_kconf: $(FUZZ_SRCS) $(wildcard lib/*.h include/xvs/*.h)
	@mkdir -p $(@D)
	$(CLANG) -g -O1 -std=gnu11 -Wall -Wextra -Iinclude -Ilib -D_GNU_SOURCE \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		-o $@ $(FUZZ_SRCS)
check-fuzz: fuzz
	FUZZ_BIN=$(CURDIR)/$(B)/fuzz/fuzz_kconf ./tests/fuzz/run.sh 60

clean:
	rm -rf build build-san
