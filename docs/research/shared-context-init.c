/* 65 reset clients' creation + init on one CephContext: the first alone, the others in parallel.
 *   cc -O2 -o shared-context-init shared-context-init.c -lcephfs -lpthread
 *   CEPH_CONF=... ./shared-context-init 65 debug_client 0/0 debug_ms 0/0      (compare reset-client-init.c) */
#define _FILE_OFFSET_BITS 64
#include <cephfs/libcephfs.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
static int N; static char **opts; static int nopts; static struct ceph_mount_info *first;
static struct ceph_mount_info *cm[256];
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec*1e3+t.tv_nsec/1e6;}
static void *run(void *a){ long i=(long)a; int rc=ceph_create_with_context(&cm[i], ceph_get_mount_context(first));
 if(rc) fprintf(stderr,"create %d\n",rc);
 rc=ceph_init(cm[i]); if(rc) fprintf(stderr,"init %d\n",rc); return 0;}
int main(int c,char**v){N=atoi(v[1]);opts=v+2;nopts=c-2;pthread_t t[256];struct rusage r0,r1;getrusage(RUSAGE_SELF,&r0);double t0=now();
 ceph_create(&first,"admin"); ceph_conf_read_file(first,getenv("CEPH_CONF"));
 for(int k=0;k<nopts;k+=2) ceph_conf_set(first,opts[k],opts[k+1]);
 if(ceph_init(first)) fprintf(stderr,"first init failed\n");
 double tf=now();
 for(long i=0;i<N-1;i++)pthread_create(&t[i],0,run,(void*)i);for(int i=0;i<N-1;i++)pthread_join(t[i],0);
 double t1=now();getrusage(RUSAGE_SELF,&r1);
 double cpu=(r1.ru_utime.tv_sec-r0.ru_utime.tv_sec)*1e3+(r1.ru_utime.tv_usec-r0.ru_utime.tv_usec)/1e3+(r1.ru_stime.tv_sec-r0.ru_stime.tv_sec)*1e3+(r1.ru_stime.tv_usec-r0.ru_stime.tv_usec)/1e3;
 printf("N=%d shared: first %.0f ms, wall %.0f ms cpu %.0f ms\n",N,tf-t0,t1-t0,cpu);
 for(int i=0;i<N-1;i++)ceph_release(cm[i]); ceph_release(first); return 0;}
