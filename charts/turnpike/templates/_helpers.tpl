{{/* Names: <fullname>-<component>, fullname = release name unless it already contains the chart's. */}}
{{- define "turnpike.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "turnpike.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Common labels; call with (dict "ctx" $ "component" "operator"). */}}
{{- define "turnpike.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .ctx.Chart.Name .ctx.Chart.Version | replace "+" "_" }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
app.kubernetes.io/part-of: turnpike
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
{{ include "turnpike.selectorLabels" . }}
{{- end }}

{{- define "turnpike.selectorLabels" -}}
app.kubernetes.io/name: {{ include "turnpike.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "turnpike.operatorServiceAccount" -}}
{{- if .Values.serviceAccount.create }}
{{- default (printf "%s-operator" (include "turnpike.fullname" .)) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "turnpike.leaseName" -}}
{{- default (printf "%s-operator" (include "turnpike.fullname" .)) .Values.controlPlane.leaseName }}
{{- end }}

{{/* The xDS server as its clients (Envoy, ratelimit) reach it. */}}
{{- define "turnpike.xdsHost" -}}
{{- default (printf "%s-xds.%s.svc.%s" (include "turnpike.fullname" .) .Release.Namespace .Values.clusterDomain) .Values.controlPlane.xdsService.address }}
{{- end }}

{{- define "turnpike.xdsAddress" -}}
{{- printf "%s:%d" (include "turnpike.xdsHost" .) (int .Values.controlPlane.xdsPort) }}
{{- end }}

{{/* repository[:tag][@digest]; call with (dict "image" .Values.x.image "default" "tag"). */}}
{{- define "turnpike.imageRef" -}}
{{- $tag := default .default .image.tag }}
{{- if .image.digest }}
{{- printf "%s:%s@%s" .image.repository $tag .image.digest }}
{{- else }}
{{- printf "%s:%s" .image.repository $tag }}
{{- end }}
{{- end }}

{{- define "turnpike.image" -}}
{{- include "turnpike.imageRef" (dict "image" .Values.image "default" .Chart.AppVersion) }}
{{- end }}

{{/* The HTTPS port callers use, for redirects. */}}
{{- define "turnpike.httpsPublicPort" -}}
{{- if .Values.gateway.httpsPublicPort }}{{ .Values.gateway.httpsPublicPort }}{{ else }}{{ .Values.envoy.service.ports.https }}{{ end }}
{{- end }}

{{/* Pod-level scheduling and identity shared by every Deployment; call with (dict "ctx" $ "values" .Values.x "component" "x"). */}}
{{- define "turnpike.podScheduling" -}}
{{- with .ctx.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- with .values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
topologySpreadConstraints:
{{- if .values.topologySpreadConstraints }}
  {{- toYaml .values.topologySpreadConstraints | nindent 2 }}
{{- else }}
  # Replicas on different nodes when the cluster allows it: a node loss takes one, not all.
  - maxSkew: 1
    topologyKey: kubernetes.io/hostname
    whenUnsatisfiable: ScheduleAnyway
    labelSelector:
      matchLabels:
        {{- include "turnpike.selectorLabels" (dict "ctx" .ctx "component" .component) | nindent 8 }}
{{- end }}
{{- end }}

{{/* Downward API identity every Turnpike process uses (lease holder, xDS node id). */}}
{{- define "turnpike.podEnv" -}}
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: POD_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
{{- end }}

{{/* A PodDisruptionBudget; call with (dict "ctx" $ "values" .Values.x "component" "x" "name" "…"). */}}
{{- define "turnpike.pdb" -}}
{{- if and .values.podDisruptionBudget.enabled (gt (int .values.replicas) 1) }}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ .name }}
  namespace: {{ .ctx.Release.Namespace }}
  labels:
    {{- include "turnpike.labels" (dict "ctx" .ctx "component" .component) | nindent 4 }}
spec:
  {{- if hasKey .values.podDisruptionBudget "maxUnavailable" }}
  maxUnavailable: {{ .values.podDisruptionBudget.maxUnavailable }}
  {{- else }}
  minAvailable: {{ .values.podDisruptionBudget.minAvailable | default 1 }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "turnpike.selectorLabels" (dict "ctx" .ctx "component" .component) | nindent 6 }}
{{- end }}
{{- end }}

{{- /*
A pod's annotations: Prometheus' scrape annotations (metrics.scrapeAnnotations) for the port and
path given, then the component's podAnnotations, which win over them.
*/ -}}
{{- define "turnpike.podAnnotations" -}}
{{- $scrape := dict }}
{{- if .ctx.Values.metrics.scrapeAnnotations }}
{{- $scrape = dict "prometheus.io/scrape" "true" "prometheus.io/port" (toString .port) "prometheus.io/path" .path }}
{{- end }}
{{- $all := merge (deepCopy (default (dict) .values.podAnnotations)) $scrape }}
{{- if $all }}{{ toYaml $all }}{{ end }}
{{- end }}

{{/*
Mutual TLS on xDS. The Secrets: <fullname>-xds-tls-ca (the operator's CA), -envoy and -ratelimit
(client certificates), -server (cert-manager only: the operator's serving certificate); the
operator names them after --xds-tls-secrets (operator/src/xds-tls/names.ts).
*/}}
{{- define "turnpike.xdsTlsPrefix" -}}
{{- printf "%s-xds-tls" (include "turnpike.fullname" .) }}
{{- end }}

{{/* Where Envoy, ratelimit and (cert-manager) the operator mount their xDS certificate. */}}
{{- define "turnpike.xdsTlsDir" -}}
/etc/turnpike/xds-tls
{{- end }}

{{/* The name clients verify in the xDS server's certificate: the xDS Service's DNS name. */}}
{{- define "turnpike.xdsServerName" -}}
{{- printf "%s-xds.%s.svc.%s" (include "turnpike.fullname" .) .Release.Namespace .Values.clusterDomain }}
{{- end }}

{{/* Every name the serving certificate carries: the Service's DNS names and controlPlane.xdsService.address. */}}
{{- define "turnpike.xdsServerNames" -}}
{{- $svc := printf "%s-xds" (include "turnpike.fullname" .) }}
{{- $names := list (include "turnpike.xdsServerName" .) (printf "%s.%s.svc" $svc .Release.Namespace) (printf "%s.%s" $svc .Release.Namespace) $svc }}
{{- with .Values.controlPlane.xdsService.address }}{{ $names = append $names . }}{{ end }}
{{- join "," (uniq $names) }}
{{- end }}

{{/* The URI a client certificate names its fleet with (xds-server/src/tls/identity.ts); call with the fleet. */}}
{{- define "turnpike.fleetUri" -}}
{{- printf "spiffe://turnpike/fleet/%s" (urlquery .) }}
{{- end }}
