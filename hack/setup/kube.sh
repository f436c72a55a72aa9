#!/usr/bin/env bash
# kube-apiserver (and kubectl when the machine has none of a supported minor), built from
# k8s.io/kubernetes through a throwaway module that replaces the staging modules with their
# published tags; ldflags set the version so /version and Helm's kubeVersion checks are right.
source "$(dirname "$0")/lib.sh"
want_kubectl=0
machine_kubectl="/usr/lib/google-cloud-sdk/bin/kubectl.$KUBECTL_MINOR"
if [ -x "$machine_kubectl" ]; then
  # The image's kubectl is within the supported skew of our server: use it as it is.
  [ -L "$BIN/kubectl" ] || ln -sf "$machine_kubectl" "$BIN/kubectl"
elif ! have kubectl "$KUBERNETES_VERSION"; then
  want_kubectl=1
fi
have kube-apiserver "$KUBERNETES_VERSION" && [ $want_kubectl = 0 ] && exit 0
step "kube-apiserver $KUBERNETES_VERSION (Go module proxy; the first build takes 10-20 minutes)"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
run_logged kube-apiserver go mod init local/k8sbuild
for m in api apiextensions-apiserver apimachinery apiserver cli-runtime client-go \
  cloud-provider cluster-bootstrap code-generator component-base component-helpers \
  controller-manager cri-api cri-client csi-translation-lib dynamic-resource-allocation \
  endpointslice externaljwt kms kube-aggregator kube-controller-manager kube-proxy \
  kube-scheduler kubectl kubelet metrics mount-utils pod-security-admission \
  sample-apiserver sample-cli-plugin sample-controller; do
  go mod edit -replace "k8s.io/$m=k8s.io/$m@v$KUBERNETES_STAGING_VERSION"
done
run_logged kube-apiserver go get "k8s.io/kubernetes/cmd/kube-apiserver@v$KUBERNETES_VERSION"
minor=$(echo "$KUBERNETES_VERSION" | cut -d. -f2)
V=k8s.io/component-base/version; C=k8s.io/client-go/pkg/version
ldflags="-s -w -X $V.gitVersion=v$KUBERNETES_VERSION -X $V.gitMajor=1 -X $V.gitMinor=$minor \
 -X $V.gitTreeState=clean -X $V.buildDate=1970-01-01T00:00:00Z \
 -X $C.gitVersion=v$KUBERNETES_VERSION -X $C.gitMajor=1 -X $C.gitMinor=$minor"
build() { CGO_ENABLED=0 go build -trimpath -tags selinux,notest,grpcnotrace -ldflags "$ldflags" -o "$BIN/$1" "k8s.io/kubernetes/cmd/$1"; }
if ! have kube-apiserver "$KUBERNETES_VERSION"; then
  run_logged kube-apiserver build kube-apiserver
  "$BIN/kube-apiserver" --version | grep -q "v$KUBERNETES_VERSION" || fail kube-apiserver "wrong --version"
  stamp kube-apiserver "$KUBERNETES_VERSION"
fi
if [ $want_kubectl = 1 ]; then
  run_logged kubectl go get "k8s.io/kubernetes/cmd/kubectl@v$KUBERNETES_VERSION"
  run_logged kubectl build kubectl
  stamp kubectl "$KUBERNETES_VERSION"
fi
