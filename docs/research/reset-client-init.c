#define _FILE_OFFSET_BITS 64
#include <cephfs/libcephfs.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
static int N; static char **opts; static int nopts;
static struct ceph_mount_info *cm[256];
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec*1e3+t.tv_nsec/1e6;}
static void *run(void *a){ long i=(long)a; ceph_create(&cm[i],"admin"); ceph_conf_read_file(cm[i],getenv("CEPH_CONF"));
 for(int k=0;k<nopts;k+=2) ceph_conf_set(cm[i],opts[k],opts[k+1]);
 int rc=ceph_init(cm[i]); if(rc) fprintf(stderr,"init %d\n",rc); return 0;}
int main(int c,char**v){N=atoi(v[1]);opts=v+2;nopts=c-2;pthread_t t[256];struct rusage r0,r1;getrusage(RUSAGE_SELF,&r0);double t0=now();
 for(long i=0;i<N;i++)pthread_create(&t[i],0,run,(void*)i);for(int i=0;i<N;i++)pthread_join(t[i],0);
 double t1=now();getrusage(RUSAGE_SELF,&r1);
 double cpu=(r1.ru_utime.tv_sec-r0.ru_utime.tv_sec)*1e3+(r1.ru_utime.tv_usec-r0.ru_utime.tv_usec)/1e3+(r1.ru_stime.tv_sec-r0.ru_stime.tv_sec)*1e3+(r1.ru_stime.tv_usec-r0.ru_stime.tv_usec)/1e3;
 printf("N=%d wall %.0f ms cpu %.0f ms\n",N,t1-t0,cpu);
 for(int i=0;i<N;i++)ceph_release(cm[i]); return 0;}
