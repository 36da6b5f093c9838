/* Stress: N stale sessions (a SIGKILLed process's), reset by N clients that share one CephContext
 * (a first client initialized alone, the others ceph_create_with_context + ceph_init concurrently), with the
 * adapter's warm-up (reset of a random uuid: ENOENT, finish_reclaim), a go, the resets, and concurrent releases.
 *   cc -O2 -o shared-context-reset shared-context-reset.c -lcephfs -lpthread
 *   ./shared-context-reset hold N PREFIX            mounts N clients with uuids PREFIX-0..N-1, prints "held", waits
 *   ./shared-context-reset reset N PREFIX shared    resets them (or "separate": a context per client)
 * shared-context-reset-loop.sh N shared|separate ITERATIONS runs both, with a SIGKILL between. */
#define _FILE_OFFSET_BITS 64
#include <cephfs/libcephfs.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <signal.h>
#include <errno.h>
#include <sys/wait.h>
static int N, shared; static const char *conf; static char prefix[64];
static struct ceph_mount_info *first, *cm[256]; static int rc_init[256], rc_warm[256], rc_reset[256];
static pthread_barrier_t ready;
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec*1e3+t.tv_nsec/1e6;}
static void opts(struct ceph_mount_info *m){ceph_conf_set(m,"debug_client","0/0");ceph_conf_set(m,"debug_ms","0/0");ceph_conf_set(m,"admin_socket","");ceph_conf_set(m,"client_mount_timeout","10");}
static void *mountone(void *a){long i=(long)a; char u[128]; snprintf(u,sizeof u,"%s-%ld",prefix,i);
 ceph_create(&cm[i],"admin"); ceph_conf_read_file(cm[i],conf); opts(cm[i]); ceph_init(cm[i]); ceph_set_uuid(cm[i],u);
 int rc=ceph_mount(cm[i],"/"); if(rc){fprintf(stderr,"child mount %ld: %d\n",i,rc);} return 0;}
static void *resetone(void *a){long i=(long)a; char u[128], w[128]; snprintf(u,sizeof u,"%s-%ld",prefix,i);
 snprintf(w,sizeof w,"warm-%ld-%ld-%d",(long)getpid(),i,rand());
 if(shared){rc_init[i]=ceph_create_with_context(&cm[i],ceph_get_mount_context(first));}
 else {rc_init[i]=ceph_create(&cm[i],"admin"); ceph_conf_read_file(cm[i],conf); opts(cm[i]);}
 if(!rc_init[i]) rc_init[i]=ceph_init(cm[i]);
 rc_warm[i]=ceph_start_reclaim(cm[i],w,CEPH_RECLAIM_RESET); ceph_finish_reclaim(cm[i]);
 pthread_barrier_wait(&ready);
 rc_reset[i]=ceph_start_reclaim(cm[i],u,CEPH_RECLAIM_RESET); ceph_finish_reclaim(cm[i]);
 ceph_release(cm[i]); return 0;}
int main(int c,char**v){conf=getenv("CEPH_CONF");srand(getpid());N=atoi(v[2]);snprintf(prefix,sizeof prefix,"%s",v[3]);
 if(!strcmp(v[1],"hold")){for(long i=0;i<N;i++)mountone((void*)i);
   printf("held\n"); fflush(stdout); for(;;) pause();}
  shared=!strcmp(v[4],"shared"); int it=0;
  double t0=now();
  pthread_barrier_init(&ready,0,N+1);
  if(shared){ceph_create(&first,"admin");ceph_conf_read_file(first,conf);opts(first);int r=ceph_init(first);if(r)fprintf(stderr,"first init %d\n",r);}
  pthread_t t[256]; for(long i=0;i<N;i++)pthread_create(&t[i],0,resetone,(void*)i);
  pthread_barrier_wait(&ready); double tr=now();
  for(int i=0;i<N;i++)pthread_join(t[i],0); double te=now();
  if(shared) ceph_release(first);
  int ok=0,bad=0; for(int i=0;i<N;i++){ if(rc_init[i]||rc_warm[i]!=-ENOENT||rc_reset[i]!=0){bad++; fprintf(stderr,"it %d slot %d: init %d warm %d reset %d\n",it,i,rc_init[i],rc_warm[i],rc_reset[i]);} else ok++; }
  printf("%s: ready %.0f ms, resets+release done %.0f ms, ok %d bad %d\n",shared?"shared":"separate",tr-t0,te-t0,ok,bad); fflush(stdout);
 return bad?1:0;}
