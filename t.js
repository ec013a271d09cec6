const {PGlite}=require('@electric-sql/pglite');
(async()=>{let t=Date.now(); const db=await PGlite.create(); console.log('create',Date.now()-t);
for (let i=0;i<3;i++){ t=Date.now(); const c=await db.clone(); await c.query('select 1'); console.log('clone', Date.now()-t); await c.close();}
t=Date.now(); const dump = await db.dumpDataDir('none'); console.log('dump', Date.now()-t, dump.size);
t=Date.now(); const d2=await PGlite.create({loadDataDir: dump}); await d2.query('select 1'); console.log('load', Date.now()-t);
})()
