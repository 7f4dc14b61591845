# SPDX-License-Identifier: GPL-2.0
#
# veriexec: build the LSM into a Linux 6.12 tree and test it under QEMU.
# `make help` lists the targets.  Everything is built under $(BUILD).

BUILD		?= $(CURDIR)/build
KERNEL_SRC	?=
ACCEL		?= tcg
JOBS		?= $(shell nproc)
SCRIPT		?=
FILES		?=
KCMDLINE	?=
VARIANT		?= test

HARNESS		:= $(CURDIR)/tools/testing/veriexec
KTREE		:= $(BUILD)/linux
KOUT		:= $(BUILD)/$(VARIANT)/kernel
BZIMAGE		:= $(KOUT)/arch/x86/boot/bzImage
KEYS		:= $(BUILD)/keys
IMAGE		:= $(BUILD)/$(VARIANT)/image.cpio
CTL		:= $(BUILD)/veriexecctl/veriexecctl
KSFT		:= $(BUILD)/$(VARIANT)/kselftest

export ACCEL BUILD KTREE KOUT KEYS JOBS KSFT VARIANT

.PHONY: all help deps tree kernel image veriexecctl selftests run test \
	test-debug test-distro test-distro-debug bench-distro vm-run kunit lint patch bench fuzz deb clean \
	distclean

all: kernel image

help:
	@echo 'make run        build, boot the test kernel and show veriexec at work'
	@echo 'make test       host tests, KUnit and kselftests under QEMU'
	@echo 'make vm-run SCRIPT=FILE [FILES=DIR] [KCMDLINE=...]'
	@echo 'make test-debug the tests on a KASAN/lockdep/kmemleak kernel'
	@echo 'make kunit      KUnit with tools/testing/kunit/kunit.py (UML)'
	@echo 'make bench      benchmarks: ratios against baselines in one boot'
	@echo 'make fuzz       libFuzzer on the manifest parser (FUZZ_SECONDS)'
	@echo 'make lint       checkpatch --strict, sparse, kernel-doc'
	@echo 'make patch      git format-patch series against the pristine tree'
	@echo 'make deb        veriexecctl_VERSION_amd64.deb (debhelper) in $$(BUILD)/deb'
	@echo 'make test-distro boot a Debian 12 image at level 2 on a distro-like kernel'
	@echo 'make test-distro-debug the same on the distro kernel with KASAN, lockdep, kmemleak'
	@echo 'make bench-distro its boot time and stress-ng with and without veriexec'
	@echo 'Variables: KERNEL_SRC=DIR (a 6.12 tree), ACCEL=kvm, BUILD=DIR'

deps:
	@$(HARNESS)/deps.sh

# The working kernel tree: a copy of KERNEL_SRC with the project laid in.
tree: deps
	@KERNEL_SRC='$(KERNEL_SRC)' $(HARNESS)/tree.sh

$(KEYS)/signing.crt: $(HARNESS)/mkkeys.sh | deps
	@$(HARNESS)/mkkeys.sh $(KEYS)

kernel: tree $(KEYS)/signing.crt
	@$(HARNESS)/kernel.sh $(VARIANT)

veriexecctl: deps
	@mkdir -p $(BUILD)/veriexecctl
	@$(MAKE) -s -C tools/veriexecctl OUTPUT=$(BUILD)/veriexecctl/

selftests: kernel
	@$(HARNESS)/selftests.sh $(KSFT)

$(BUILD)/vm-init: $(HARNESS)/vm-init.c | deps
	@mkdir -p $(BUILD)
	gcc -static -O2 -Wall -o $@ $<

$(BUILD)/veriexec-bench: $(HARNESS)/veriexec-bench.c | deps
	@mkdir -p $(BUILD)
	gcc -static -O2 -Wall -o $@ $<

image: selftests veriexecctl $(BUILD)/vm-init $(BUILD)/veriexec-bench $(KEYS)/signing.crt
	@$(HARNESS)/mkimage.sh $(IMAGE) $(BUILD)/vm-init $(KEYS) $(CTL) \
		$(BUILD)/veriexec-bench \
		-- $(KSFT) $(CURDIR)/tools/veriexecctl/initramfs-tools

vm-run: kernel image
	@test -n "$(SCRIPT)" || { echo 'usage: make vm-run SCRIPT=FILE [FILES=DIR] [KCMDLINE=...]' >&2; exit 2; }
	@KCMDLINE='kunit.enable=0 $(KCMDLINE)' $(HARNESS)/vm-run.sh \
		$(BZIMAGE) $(IMAGE) $(SCRIPT) $(FILES)

run: kernel image
	@$(HARNESS)/demo.sh $(BZIMAGE) $(IMAGE)

test: kernel image
	@$(HARNESS)/run-tests.sh $(BZIMAGE) $(IMAGE)

# KASAN and lockdep make the guest several times slower under TCG.
test-debug:
	@VM_TIMEOUT=$${VM_TIMEOUT:-5400} $(MAKE) --no-print-directory VARIANT=debug test

# A Debian 12 image (mmdebstrap, the .deb, a signed manifest of the whole
# system, its own initramfs) booted at level 2 on the distro-like kernel.
test-distro:
	@$(MAKE) --no-print-directory VARIANT=distro kernel veriexecctl
	@deb=$$($(HARNESS)/mkdeb.sh $(BUILD)/deb | tail -n 1) && \
		CTL=$(CTL) KOUT=$(BUILD)/distro/kernel $(HARNESS)/distro-test.sh \
		$(BUILD)/distro/kernel/arch/x86/boot/bzImage "$$deb"

# The same boots on the distro kernel with the debug checkers, stress-ng
# for five minutes, then a kmemleak scan; the images share the distro
# kernel's mmdebstrap tarball.  Units get longer to start: the checkers
# make the guest several times slower under TCG.  One CPU, and PCI
# interrupts routed without ACPI: the checkers make the AML interpreter so
# slow that QEMU's _PRT loop can run past ACPI's 30 s limit on a busy host
# (AE_AML_LOOP_TIMEOUT), which leaves the virtio disk without an interrupt.
test-distro-debug:
	@$(MAKE) --no-print-directory VARIANT=distro-debug kernel veriexecctl
	@deb=$$($(HARNESS)/mkdeb.sh $(BUILD)/deb | tail -n 1) && \
		CTL=$(CTL) KOUT=$(BUILD)/distro-debug/kernel \
		DISTRO_OUT=$(BUILD)/distro-debug VM_TIMEOUT=$${VM_TIMEOUT:-5400} \
		VM_MEM=$${VM_MEM:-2048} STRESS_SECS=$${STRESS_SECS:-300} \
		VM_APPEND="systemd.default_timeout_start_sec=900 pci=noacpi" VM_SMP=1 \
		$(HARNESS)/distro-test.sh \
		$(BUILD)/distro-debug/kernel/arch/x86/boot/bzImage "$$deb"

# make test-distro's image booted under -icount, with and without
# veriexec: boot time to multi-user.target and stress-ng's bogo-ops.
bench-distro:
	@$(MAKE) --no-print-directory VARIANT=distro kernel veriexecctl
	@deb=$$($(HARNESS)/mkdeb.sh $(BUILD)/deb | tail -n 1) && \
		CTL=$(CTL) KOUT=$(BUILD)/distro/kernel $(HARNESS)/distro-bench.sh \
		$(BUILD)/distro/kernel/arch/x86/boot/bzImage "$$deb"

kunit: tree
	cd $(KTREE) && ./tools/testing/kunit/kunit.py run \
		--kunitconfig security/veriexec --build_dir $(BUILD)/kunit \
		--jobs $(JOBS)

lint: tree
	@$(HARNESS)/deps.sh python3-docutils
	@$(HARNESS)/lint.sh

patch: tree
	@$(HARNESS)/patch.sh $(BUILD)/patches

# The benchmark kernel has IMA too; each boot picks one through lsm=.
bench:
	@$(MAKE) --no-print-directory VARIANT=test kernel
	@$(MAKE) --no-print-directory VARIANT=bench kernel image
	@$(HARNESS)/bench.sh $(BUILD)/bench/kernel/arch/x86/boot/bzImage \
		$(BUILD)/bench/image.cpio $(BUILD)/test/kernel/arch/x86/boot/bzImage

fuzz: deps
	@$(MAKE) -s -C tools/veriexecctl fuzz OUTPUT=$(BUILD)/veriexecctl/ \
		FUZZ_SECONDS=$(or $(FUZZ_SECONDS),600)

# veriexecctl's Debian package, built out of tree by dpkg-buildpackage.
deb: deps
	@mkdir -p $(BUILD)/deb
	@$(HARNESS)/mkdeb.sh $(BUILD)/deb

clean:
	rm -rf $(BUILD)/test $(BUILD)/debug $(BUILD)/bench $(BUILD)/distro \
		$(BUILD)/distro-debug \
		$(BUILD)/veriexecctl $(BUILD)/vm-init $(BUILD)/deb

distclean:
	rm -rf $(BUILD)
