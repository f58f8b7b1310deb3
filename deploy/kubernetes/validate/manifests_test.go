// Package validate checks deploy/kubernetes: every kustomization builds, every
// object decodes strictly into the Kubernetes API types (an unknown or
// misspelt field, or a wrong type, fails), and the settings that keep
// mitwirken running behind a rolling update agree with each other.
package validate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	kjson "k8s.io/apimachinery/pkg/runtime/serializer/json"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// cnpgCluster is the part of CloudNativePG's Cluster resource the example
// uses; decoding with unknown fields refused catches misspellings there too
// (the operator's full schema is not vendored here).
type cnpgCluster struct {
	APIVersion string          `json:"apiVersion"`
	Kind       string          `json:"kind"`
	Metadata   map[string]any  `json:"metadata"`
	Spec       cnpgClusterSpec `json:"spec"`
}

type cnpgClusterSpec struct {
	Instances             int    `json:"instances"`
	ImageName             string `json:"imageName"`
	PrimaryUpdateStrategy string `json:"primaryUpdateStrategy"`
	PostgreSQL            struct {
		Parameters map[string]string `json:"parameters"`
	} `json:"postgresql"`
	Bootstrap struct {
		InitDB struct {
			Database string `json:"database"`
			Owner    string `json:"owner"`
		} `json:"initdb"`
	} `json:"bootstrap"`
	Storage struct {
		Size string `json:"size"`
	} `json:"storage"`
	Resources corev1.ResourceRequirements `json:"resources"`
}

type objects struct {
	deployment *appsv1.Deployment
	service    *corev1.Service
	ingress    *networkingv1.Ingress
	hpa        *autoscalingv2.HorizontalPodAutoscaler
	pdb        *policyv1.PodDisruptionBudget
	netpol     *networkingv1.NetworkPolicy
	job        *batchv1.Job
	config     *corev1.ConfigMap
	secret     *corev1.Secret
	cluster    *cnpgCluster
}

func build(t *testing.T, dir string) objects {
	t.Helper()
	resmap, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), filepath.Join("..", dir))
	if err != nil {
		t.Fatalf("kustomize build %s: %v", dir, err)
	}
	scheme := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{corev1.AddToScheme, appsv1.AddToScheme, batchv1.AddToScheme,
		networkingv1.AddToScheme, autoscalingv2.AddToScheme, policyv1.AddToScheme} {
		if err := add(scheme); err != nil {
			t.Fatal(err)
		}
	}
	strict := kjson.NewSerializerWithOptions(kjson.DefaultMetaFactory, scheme, scheme, kjson.SerializerOptions{Yaml: true, Strict: true})
	var o objects
	for _, res := range resmap.Resources() {
		y, err := res.AsYAML()
		if err != nil {
			t.Fatal(err)
		}
		name := dir + ": " + res.GetKind() + "/" + res.GetName()
		if res.GetKind() == "Cluster" {
			js, err := res.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			dec := json.NewDecoder(bytes.NewReader(js))
			dec.DisallowUnknownFields()
			var c cnpgCluster
			if err := dec.Decode(&c); err != nil || c.APIVersion != "postgresql.cnpg.io/v1" {
				t.Errorf("%s: %v (apiVersion %q)", name, err, c.APIVersion)
			}
			o.cluster = &c
			continue
		}
		obj, _, err := strict.Decode(y, nil, nil)
		if err != nil {
			t.Errorf("%s does not match the Kubernetes API: %v", name, err)
			continue
		}
		switch v := obj.(type) {
		case *appsv1.Deployment:
			o.deployment = v
		case *corev1.Service:
			o.service = v
		case *networkingv1.Ingress:
			o.ingress = v
		case *autoscalingv2.HorizontalPodAutoscaler:
			o.hpa = v
		case *policyv1.PodDisruptionBudget:
			o.pdb = v
		case *networkingv1.NetworkPolicy:
			o.netpol = v
		case *batchv1.Job:
			o.job = v
		case *corev1.ConfigMap:
			o.config = v
		case *corev1.Secret:
			o.secret = v
		case *corev1.ServiceAccount:
		default:
			t.Errorf("%s: a kind this test does not check", name)
		}
	}
	return o
}

func TestKustomizationsBuildAndDecodeStrictly(t *testing.T) {
	for _, dir := range []string{"base", "postgres", "overlays/leipzig"} {
		build(t, dir)
	}
}

func TestProductionOverlayHangsTogether(t *testing.T) {
	o := build(t, "overlays/leipzig")
	if o.deployment == nil || o.service == nil || o.ingress == nil || o.hpa == nil || o.pdb == nil ||
		o.netpol == nil || o.job == nil || o.config == nil || o.secret == nil || o.cluster == nil {
		t.Fatalf("the overlay lacks an object: %+v", o)
	}
	d := o.deployment
	pod := labels.Set(d.Spec.Template.Labels)
	if *d.Spec.Replicas < 2 || o.hpa.Spec.MinReplicas == nil || *o.hpa.Spec.MinReplicas < 2 {
		t.Errorf("fewer than two replicas: deployment %d", *d.Spec.Replicas)
	}
	sel, err := metaSelector(d.Spec.Selector.MatchLabels)
	if err != nil || !sel.Matches(pod) {
		t.Errorf("the deployment's selector does not select its pods: %v", err)
	}
	for what, m := range map[string]map[string]string{
		"service": o.service.Spec.Selector, "pdb": o.pdb.Spec.Selector.MatchLabels, "networkpolicy": o.netpol.Spec.PodSelector.MatchLabels,
	} {
		if s, _ := metaSelector(m); len(m) == 0 || !s.Matches(pod) {
			t.Errorf("the %s does not select mitwirken's pods: %v", what, m)
		}
	}
	if o.hpa.Spec.ScaleTargetRef.Name != d.Name {
		t.Errorf("the autoscaler scales %q", o.hpa.Spec.ScaleTargetRef.Name)
	}

	c := d.Spec.Template.Spec.Containers[0]
	if p := c.ReadinessProbe; p == nil || p.HTTPGet == nil || p.HTTPGet.Path != "/readyz" {
		t.Errorf("readiness probe: %+v", p)
	}
	if p := c.LivenessProbe; p == nil || p.HTTPGet == nil || p.HTTPGet.Path != "/healthz" {
		t.Errorf("liveness probe: %+v", p)
	}
	if !strings.HasPrefix(c.Image, "registry.leipzig.de/insek/mitwirken:") || c.Image != o.job.Spec.Template.Spec.Containers[0].Image {
		t.Errorf("web %q and migration %q images differ", c.Image, o.job.Spec.Template.Spec.Containers[0].Image)
	}
	if args := o.job.Spec.Template.Spec.Containers[0].Args; len(args) != 1 || args[0] != "migrate" {
		t.Errorf("the migration job runs %v", args)
	}
	if o.config.Data["MITWIRKEN_AUTO_MIGRATE"] != "false" {
		t.Error("replicas migrate at start beside the migration job")
	}

	// The drain fits into the grace period: preStop pause + shutdown timeout.
	shutdown, err := time.ParseDuration(o.config.Data["MITWIRKEN_SHUTDOWN_TIMEOUT"])
	if err != nil {
		t.Fatalf("MITWIRKEN_SHUTDOWN_TIMEOUT: %v", err)
	}
	var pause time.Duration
	if h := c.Lifecycle; h != nil && h.PreStop != nil && h.PreStop.Sleep != nil {
		pause = time.Duration(h.PreStop.Sleep.Seconds) * time.Second
	}
	if pause == 0 {
		t.Error("no preStop pause: requests still arrive after SIGTERM")
	}
	if grace := time.Duration(*d.Spec.Template.Spec.TerminationGracePeriodSeconds) * time.Second; pause+shutdown >= grace {
		t.Errorf("preStop %v + shutdown %v do not fit into the grace period %v", pause, shutdown, grace)
	}

	// Every replica's pool fits into PostgreSQL's connections.
	conns, _ := strconv.Atoi(o.config.Data["MITWIRKEN_DB_MAX_CONNS"])
	maxConns, _ := strconv.Atoi(o.cluster.Spec.PostgreSQL.Parameters["max_connections"])
	if conns == 0 || int(o.hpa.Spec.MaxReplicas)*conns+5 > maxConns {
		t.Errorf("%d replicas × %d connections + migration exceed max_connections %d", o.hpa.Spec.MaxReplicas, conns, maxConns)
	}
	dbPods := false
	for _, e := range o.netpol.Spec.Egress {
		for _, to := range e.To {
			if to.PodSelector != nil && to.PodSelector.MatchLabels["cnpg.io/cluster"] == o.cluster.Metadata["name"] {
				dbPods = true
			}
		}
	}
	if !dbPods {
		t.Error("the network policy does not let mitwirken reach its database cluster")
	}
	if !strings.Contains(o.secret.StringData["MITWIRKEN_DATABASE_URL"], "@"+fmt.Sprint(o.cluster.Metadata["name"])+"-rw:") {
		t.Errorf("the database URL does not name the cluster's rw service: %s", o.secret.StringData["MITWIRKEN_DATABASE_URL"])
	}
	if o.ingress.Annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"] == "" {
		t.Error("the ingress closes idle websockets after nginx's default 60 s")
	}
}

// TestEveryVariableIsDocumented: an operator looks each setting up in
// docs/configuration.md.
func TestEveryVariableIsDocumented(t *testing.T) {
	docs, err := os.ReadFile(filepath.Join("..", "..", "..", "docs", "configuration.md"))
	if err != nil {
		t.Fatal(err)
	}
	o := build(t, "overlays/leipzig")
	vars := map[string]bool{}
	for k := range o.config.Data {
		vars[k] = true
	}
	for k := range o.secret.StringData {
		vars[k] = true
	}
	for k := range vars {
		if !regexp.MustCompile(`\b` + k + `\b`).Match(docs) {
			t.Errorf("%s is not in docs/configuration.md", k)
		}
	}
}

func metaSelector(m map[string]string) (labels.Selector, error) {
	return labels.ValidatedSelectorFromSet(m)
}
